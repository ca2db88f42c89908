package dev.firelensrouter.perf;

import dev.firelensrouter.sandbox.ApiFaults;
import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sandbox.LogsEmulator;
import dev.firelensrouter.sandbox.S3Emulator;
import dev.firelensrouter.sandbox.S3Faults;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The sandbox emulators run by the harness itself, so that it can switch faults on and off. */
final class Emulators {
  private final LogsEmulator logs = new LogsEmulator();
  private final FirehoseEmulator firehose = new FirehoseEmulator();
  private final S3Emulator s3 = new S3Emulator();
  private URI logsUri;
  private URI firehoseUri;
  private URI s3Uri;

  static Emulators start(Path dir) throws IOException {
    return start(dir, false);
  }

  /**
   * With {@code tls}, the CloudWatch Logs and Firehose emulators answer HTTPS (a throwaway
   * certificate): Fluent Bit's outputs for them speak nothing else.
   */
  static Emulators start(Path dir, boolean tls) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    Emulators e = new Emulators();
    if (tls) {
      javax.net.ssl.SSLContext context = dev.firelensrouter.sandbox.LoopbackTls.serverContext(dir);
      e.logs.useTls(context);
      e.firehose.useTls(context);
    }
    e.logsUri = e.logs.start(dir);
    e.firehoseUri = e.firehose.start(dir);
    e.s3Uri = e.s3.start(dir.toAbsolutePath().normalize());
    e.s3.createBucketsOnDemand(true);
    return e;
  }

  /** Service to endpoint. */
  java.util.Map<String, URI> endpointMap() {
    return java.util.Map.of("logs", logsUri, "firehose", firehoseUri, "s3", s3Uri);
  }

  /** For FIRELENS_ROUTER_SANDBOX_ENDPOINTS. */
  String endpoints() {
    return "logs=" + logsUri + ",firehose=" + firehoseUri + ",s3=" + s3Uri;
  }

  void schedule(List<Fault> faults, ScheduledExecutorService timer) {
    for (Fault f : faults) {
      timer.schedule(() -> apply(f, true), f.at().toMillis(), TimeUnit.MILLISECONDS);
      timer.schedule(
          () -> apply(f, false), f.at().plus(f.length()).toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void apply(Fault f, boolean on) {
    switch (f.service()) {
      case "logs" -> logs.faults(on ? f.api() : ApiFaults.NONE);
      case "firehose" -> firehose.faults(on ? f.api() : ApiFaults.NONE);
      case "s3" -> s3.faults(on ? f.s3() : S3Faults.NONE);
      default -> throw new IllegalArgumentException("no emulator for " + f.service());
    }
    System.out.println((on ? "fault on: " : "fault off: ") + f);
  }

  void clearFaults() {
    logs.faults(ApiFaults.NONE);
    firehose.faults(ApiFaults.NONE);
    s3.faults(S3Faults.NONE);
  }

  void stop() {
    logs.stop();
    firehose.stop();
    s3.stop();
  }
}
