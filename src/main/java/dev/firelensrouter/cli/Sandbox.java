package dev.firelensrouter.cli;

import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sandbox.LogsEmulator;
import dev.firelensrouter.sandbox.S3Emulator;
import dev.firelensrouter.sandbox.SandboxFaults;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The AWS emulators of {@code run --sandbox [DIR]} and {@code sandbox}: started in this process on
 * loopback ports, keeping what they receive under DIR.
 */
final class Sandbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  private final Map<String, URI> endpoints;
  private final S3Emulator s3;
  private final LogsEmulator logs;
  private final FirehoseEmulator firehose;

  private Sandbox(
      Map<String, URI> endpoints, S3Emulator s3, LogsEmulator logs, FirehoseEmulator firehose) {
    this.endpoints = endpoints;
    this.s3 = s3;
    this.logs = logs;
    this.firehose = firehose;
  }

  /** Emulators already running elsewhere: {@code logs=URI,firehose=URI,s3=URI}. */
  static Sandbox external(String spec) {
    Map<String, URI> endpoints = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        endpoints.put(part.substring(0, eq).trim(), URI.create(part.substring(eq + 1).trim()));
      }
    }
    LOG.info("sandbox: using emulators at {}", endpoints);
    return new Sandbox(Map.copyOf(endpoints), null, null, null);
  }

  /**
   * Nothing when {@code dir} is null (no {@code --sandbox}).
   *
   * @param signedWith the credentials every CloudWatch Logs and Firehose request must be signed
   *     with ({@code run --sandbox}: those its outputs use, so a request signed other than it is
   *     sent is refused as AWS would refuse it); null: any signature ({@code sandbox}, for other
   *     clients)
   */
  static Sandbox startIf(Path dir, AwsCredentialsIdentity signedWith) throws IOException {
    if (dir == null) {
      return new Sandbox(Map.of(), null, null, null);
    }
    // The JDK HTTP server reads this once, when the first emulator starts: without TCP_NODELAY
    // its separate header and body writes meet delayed ACKs on every call.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Path root = dir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    Map<String, URI> endpoints = new LinkedHashMap<>();
    S3Emulator s3 = new S3Emulator();
    endpoints.put("s3", s3.start(root));
    // Buckets appear on first write, as if the user had made them beforehand.
    s3.createBucketsOnDemand(true);
    LogsEmulator logs = new LogsEmulator();
    endpoints.put("logs", logs.start(root));
    FirehoseEmulator firehose = new FirehoseEmulator();
    endpoints.put("firehose", firehose.start(root));
    if (signedWith != null) {
      logs.verifySignatures(signedWith);
      firehose.verifySignatures(signedWith);
    }
    LOG.info("sandbox: AWS emulators keep what they receive under {} ({})", root, endpoints);
    return new Sandbox(Map.copyOf(endpoints), s3, logs, firehose);
  }

  Map<String, URI> endpoints() {
    return endpoints;
  }

  /** Switches the faults on (emulators run here only; external ones take {@code POST}). */
  void faults(SandboxFaults f) {
    if (s3 == null) {
      throw new IllegalStateException("faults need the emulators running in this process");
    }
    logs.faults(f.logs());
    firehose.faults(f.firehose());
    s3.faults(f.s3());
    LOG.info("sandbox: faults on: {}", f);
  }

  @Override
  public void close() {
    if (s3 != null) {
      s3.stop();
      logs.stop();
      firehose.stop();
    }
  }
}
