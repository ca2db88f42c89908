package dev.firelensrouter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.RunningRouter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Fluent Bit binary's {@code out_forward} (the one FireLens runs) sending to the router:
 * gzip, acks and the shared key; and a router that comes up after Fluent Bit started sending, so
 * Fluent Bit's own retries have to land. Runs where {@code FLUENT_BIT} names a Fluent Bit
 * executable (as for the perf harness's side by side); skipped elsewhere. The same as {@link
 * FluentBitContainerTest} without a Docker engine.
 */
@EnabledIfEnvironmentVariable(named = "FLUENT_BIT", matches = ".+")
class FluentBitBinaryTest {
  private static final String TAG = "app-firelens-5f8a1c2d3e4b";
  private static final int RECORDS = 300;

  @TempDir Path dir;

  private static String fluentBitConfig(int port) {
    return """
        [SERVICE]
            Flush           0.2
            Grace           10
            Log_Level       info
            scheduler.base  1
            scheduler.cap   2
        [INPUT]
            Name         dummy
            Tag          %s
            Dummy        {"log":"GET /index.html 200","source":"stdout"}
            Samples      %d
            Rate         300
        [OUTPUT]
            Name                  forward
            Match                 *
            Host                  127.0.0.1
            Port                  %d
            Compress              gzip
            Require_ack_response  true
            Shared_Key            s3cret-key
            Self_Hostname         fluent-bit
            Retry_Limit           no_limits
        """
        .formatted(TAG, RECORDS, port);
  }

  private Process startFluentBit(int port) throws IOException {
    Path conf = dir.resolve("fluent-bit.conf");
    Files.writeString(conf, fluentBitConfig(port));
    return new ProcessBuilder(System.getenv("FLUENT_BIT"), "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("fluent-bit.log").toFile())
        .start();
  }

  /** SIGTERM, then Fluent Bit flushes what it still holds within its Grace and exits. */
  private static void stop(Process fluentBit) throws InterruptedException {
    fluentBit.destroy();
    if (!fluentBit.waitFor(30, TimeUnit.SECONDS)) {
      fluentBit.destroyForcibly();
    }
  }

  private static String routerConfig(String tcp) {
    return RunningRouter.fileOutputConfig("    shared_key: s3cret-key\n    self_hostname: router\n")
        .replace("tcp: 127.0.0.1:0", "tcp: " + tcp);
  }

  @Test
  void outForwardWithGzipAcksAndTheSharedKeyDeliversEveryRecordOnce() throws Exception {
    try (RunningRouter router = RunningRouter.start(dir, routerConfig("127.0.0.1:0"))) {
      Process fluentBit = startFluentBit(router.forwardPort());
      try {
        router.awaitLines(TAG, RECORDS, Duration.ofSeconds(60));
      } finally {
        stop(fluentBit);
      }
      assertThat(router.lines(TAG))
          .as("every record once, also after Fluent Bit stopped")
          .hasSize(RECORDS)
          .allSatisfy(line -> assertThat(line).contains("\"log\":\"GET /index.html 200\""));
    }
  }

  @Test
  void recordsFluentBitSentBeforeTheRouterListenedArriveThroughItsRetries() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Process fluentBit = startFluentBit(port);
    try {
      Path log = dir.resolve("fluent-bit.log");
      dev.firelensrouter.testing.Await.until(
          Duration.ofSeconds(30),
          () -> Files.exists(log) && readQuietly(log).contains("retry"),
          () -> "Fluent Bit has not retried yet: " + readQuietly(log));
      try (RunningRouter router = RunningRouter.start(dir, routerConfig("127.0.0.1:" + port))) {
        router.awaitLines(TAG, RECORDS, Duration.ofSeconds(60));
        stop(fluentBit);
        assertThat(router.lines(TAG)).hasSize(RECORDS);
      }
    } finally {
      stop(fluentBit);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
