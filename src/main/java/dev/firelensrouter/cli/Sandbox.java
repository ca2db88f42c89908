package dev.firelensrouter.cli;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.sandbox.S3Emulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS emulators of {@code run --sandbox [DIR]}: started in this process on loopback ports,
 * keeping what they receive under DIR, with the buckets the config names created.
 */
final class Sandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  private final Map<String, URI> endpoints;
  private final S3Emulator s3;

  private Sandbox(Map<String, URI> endpoints, S3Emulator s3) {
    this.endpoints = endpoints;
    this.s3 = s3;
  }

  static Sandbox startIf(Path dir, Path configFile) throws IOException {
    if (dir == null) {
      return new Sandbox(Map.of(), null);
    }
    Files.createDirectories(dir);
    Map<String, URI> endpoints = new LinkedHashMap<>();
    S3Emulator s3 = new S3Emulator();
    endpoints.put("s3", s3.start(dir.toAbsolutePath().normalize()));
    Problems ignored = new Problems();
    for (OutputSpec o :
        ConfigLoader.fromSystemEnvironment()
            .load(configFile, ignored)
            .map(RouterConfig::outputs)
            .orElse(java.util.List.of())) {
      if (o.type().equals("s3")) {
        String bucket = o.options().string("bucket", "", ignored);
        if (!bucket.isEmpty()) {
          s3.createBucket(bucket);
        }
      }
    }
    LOG.info(
        "sandbox: AWS emulators keep what they receive under {} ({})",
        dir.toAbsolutePath(),
        endpoints);
    return new Sandbox(Map.copyOf(endpoints), s3);
  }

  Map<String, URI> endpoints() {
    return endpoints;
  }

  @Override
  public void close() {
    if (s3 != null) {
      s3.stop();
    }
  }
}
