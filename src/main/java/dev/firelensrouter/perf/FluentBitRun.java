package dev.firelensrouter.perf;

import dev.firelensrouter.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The scenario against a Fluent Bit binary the user names ({@code FLUENT_BIT=/path/to/fluent-bit}):
 * its config generated from the scenario's router config by {@link FluentBitConfig}, its AWS
 * outputs pointed at a fresh set of sandbox emulators (with dummy credentials), then the same load,
 * the same faults, SIGTERM, and the same count by record id.
 */
final class FluentBitRun {
  private FluentBitRun() {}

  /** {@code expected}: the stores the router's run filled, which this run must fill too. */
  static Report run(Scenario scenario, String binary, Path dir, java.util.Set<String> expected)
      throws Exception {
    Emulators emulators = Emulators.start(dir.resolve("sandbox-data"), true);
    try {
      int port = freePort();
      // Fluent Bit's file output does not create its folder.
      Files.createDirectories(dir.resolve("out"));
      for (Path folder : FluentBitConfig.fileFolders(scenario.config(), dir)) {
        Files.createDirectories(folder);
      }
      Path conf = dir.resolve("fluent-bit.conf");
      Files.writeString(
          conf,
          FluentBitConfig.render(
              scenario.config(),
              port,
              emulators.endpointMap(),
              dir,
              dev.firelensrouter.sandbox.LoopbackTls.certificate(dir.resolve("sandbox-data"))));
      ProcessBuilder pb =
          new ProcessBuilder(binary, "-c", conf.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("fluent-bit.log").toFile());
      Map<String, String> env = pb.environment();
      env.put("AWS_ACCESS_KEY_ID", "sandbox");
      env.put("AWS_SECRET_ACCESS_KEY", "sandbox");
      env.put("AWS_REGION", "us-east-1");
      Process fluentBit = pb.start();
      try {
        awaitListening(port, fluentBit, Duration.ofSeconds(30), dir);
        return PerfRunner.drive(
            scenario,
            new HostPort("127.0.0.1", port),
            fluentBit,
            fluentBit.pid(),
            emulators,
            List.of(
                dir.resolve("out"),
                dir.resolve("sandbox-data/s3"),
                dir.resolve("sandbox-data/cloudwatch"),
                dir.resolve("sandbox-data/firehose")),
            dir,
            () -> "(Fluent Bit: see fluent-bit.log)",
            0,
            expected,
            "Fluent Bit");
      } finally {
        if (fluentBit.isAlive()) {
          fluentBit.destroyForcibly();
        }
      }
    } finally {
      emulators.stop();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port, Process p, Duration timeout, Path dir)
      throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "Fluent Bit did not listen on " + port + "; see " + dir.resolve("fluent-bit.log"));
  }
}
