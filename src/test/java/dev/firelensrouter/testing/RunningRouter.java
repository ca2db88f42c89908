package dev.firelensrouter.testing;

import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.sink.local.LocalOutputTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A router started in this JVM from a YAML text, with the local output types, on loopback ports
 * picked by the OS. {@code %DIR%} in the YAML is replaced by a temporary directory.
 */
public final class RunningRouter implements AutoCloseable {
  private final RouterRuntime runtime;
  private final Path dir;

  private RunningRouter(RouterRuntime runtime, Path dir) {
    this.runtime = runtime;
    this.dir = dir;
  }

  public static RunningRouter start(Path dir, String yaml) throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, yaml.replace("%DIR%", dir.toString()));
    RouterRuntime runtime =
        RouterRuntime.start(
            new RouterRuntime.Options(config, Map.of(), Map.of(), Clock.systemUTC()),
            new OutputCatalog(LocalOutputTypes.all()),
            TemplateScope.EMPTY);
    return new RunningRouter(runtime, dir);
  }

  /** A config with one forward listener and one file output {@code DIR/out/<tag>.jsonl}. */
  public static String fileOutputConfig(String forwardExtra) {
    return """
        service:
          admin: 127.0.0.1:0
          data_dir: %DIR%/data
        inputs:
          forward:
            tcp: 127.0.0.1:0
        """
        + forwardExtra
        + """
        outputs:
          local:
            type: file
            path: "%DIR%/out/{{ tag }}.jsonl"
        routes:
          - name: everything
            to: [local]
        """;
  }

  public RouterRuntime runtime() {
    return runtime;
  }

  public int forwardPort() {
    return runtime.forwardAddress().map(InetSocketAddress::getPort).orElseThrow();
  }

  public int adminPort() {
    return runtime.adminAddress().getPort();
  }

  public Path outputFile(String tag) {
    return dir.resolve("out").resolve(tag + ".jsonl");
  }

  /** The lines written so far for {@code tag} (none if the file does not exist yet). */
  public List<String> lines(String tag) {
    Path file = outputFile(tag);
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code tag}'s file holds {@code count} lines. */
  public List<String> awaitLines(String tag, int count, Duration timeout) {
    Await.until(
        timeout,
        () -> lines(tag).size() >= count,
        () -> tag + " has " + lines(tag).size() + " of " + count + " lines");
    return lines(tag);
  }

  @Override
  public void close() {
    runtime.shutdown(Duration.ofSeconds(5));
    runtime.close();
  }
}
