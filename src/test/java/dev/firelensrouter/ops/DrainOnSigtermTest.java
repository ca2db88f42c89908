package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.ChildConfig;
import dev.firelensrouter.testing.ChildRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;

/**
 * ECS stops a task with SIGTERM. Fluent Bit in the same spot pauses its inputs and drops the last
 * lines of short tasks (aws-for-fluent-bit #201, #856); the router keeps reading until its clients
 * close, delivers everything, reports it, and exits 0.
 */
class DrainOnSigtermTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyRecordSentBeforeAndAfterSigtermWhileTheClientIsOpenIsDelivered() throws Exception {
    ChildConfig config = ChildConfig.write(dir, "grace: 20s", "", fileOutput());
    try (ChildRouter router = ChildRouter.start(dir, config.file(), config.adminPort())) {
      int total = 4000;
      try (Fluency fluency = config.fluency()) {
        for (int i = 0; i < total / 2; i++) {
          fluency.emit("short.task", Map.of("seq", i));
        }
        fluency.flush();
        router.terminate();
        Await.until(Duration.ofSeconds(10), () -> router.status("/ready") == 503, router::log);
        // The task's last lines, sent after the signal while the client is still connected.
        for (int i = total / 2; i < total; i++) {
          fluency.emit("short.task", Map.of("seq", i));
        }
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(20)).as("every chunk acked").isTrue();
      }
      assertThat(router.awaitExit(Duration.ofSeconds(30)))
          .as("exit code; log:\n%s", router.log())
          .isZero();
      assertThat(seqs(dir.resolve("out/short.task.jsonl"))).isEqualTo(range(total));
      assertThat(router.log()).contains("drained cleanly");
    }
  }

  @Test
  void aShortTaskSignalledRightAfterItsLastSendHasEveryRecordDelivered() throws Exception {
    ChildConfig config = ChildConfig.write(dir, "grace: 20s", "", fileAndCloudWatch("/short-task"));
    int total = 3000;
    try (ChildRouter router = config.startInSandbox(dir)) {
      try (Fluency fluency = config.fluency()) {
        for (int i = 0; i < total; i++) {
          fluency.emit("short.task", Map.of("seq", i));
        }
        fluency.flush();
        // The task ends: ECS stops the router right after the app's last line, before any ack.
        router.terminate();
        assertThat(fluency.waitUntilAllBufferFlushed(20)).as("every chunk acked").isTrue();
      }
      assertThat(router.awaitExit(Duration.ofSeconds(30)))
          .as("exit code; log:\n%s", router.log())
          .isZero();
      assertThat(seqs(dir.resolve("out/short.task.jsonl")))
          .as("file output")
          .isEqualTo(range(total));
      Path stream = dir.resolve("sandbox/cloudwatch/%2Fshort-task/short.task.jsonl");
      assertThat(Files.readAllLines(stream)).as("CloudWatch Logs events").hasSize(total);
      assertThat(summaryLines(router.log()))
          .singleElement()
          .asString()
          .contains("drained cleanly")
          .contains("local=" + total + " delivered")
          .contains("app_logs=" + total + " delivered");
    }
  }

  @Test
  void ctrlCDrainsLikeSigterm() throws Exception {
    ChildConfig config = ChildConfig.write(dir, "grace: 10s", "", fileOutput());
    try (ChildRouter router = ChildRouter.start(dir, config.file(), config.adminPort())) {
      try (Fluency fluency = config.fluency()) {
        for (int i = 0; i < 500; i++) {
          fluency.emit("by.hand", Map.of("seq", i));
        }
        fluency.flush();
        router.interrupt();
        assertThat(fluency.waitUntilAllBufferFlushed(20)).as("every chunk acked").isTrue();
      }
      assertThat(router.awaitExit(Duration.ofSeconds(30))).as(router.log()).isZero();
      assertThat(seqs(dir.resolve("out/by.hand.jsonl"))).isEqualTo(range(500));
      assertThat(summaryLines(router.log()))
          .singleElement()
          .asString()
          .contains("drained cleanly")
          .contains("local=500 delivered");
    }
  }

  @Test
  void anOutputThatCannotDeliverIsReportedInOneLineAndTheExitCodeIsOneWithinGrace()
      throws Exception {
    int grace = 4;
    ChildConfig config = deadCloudWatchConfig(grace);
    try (ChildRouter router =
        ChildRouter.start(dir, config.file(), config.adminPort(), ChildConfig.DEAD_CLOUDWATCH)) {
      sendAndAwaitAcks(config, 500);
      awaitFailing(router);
      router.terminate();
      long signalled = System.nanoTime();
      int exit = router.awaitExit(Duration.ofSeconds(grace + 20));
      Duration took = Duration.ofNanos(System.nanoTime() - signalled);
      assertThat(exit).as("exit code; log:\n%s", router.log()).isEqualTo(1);
      // The grace, then closing the listeners and the SDK and the JVM's exit: without the grace
      // the drain would wait for the dead output far longer.
      assertThat(took).as("stopped within grace").isLessThan(Duration.ofSeconds(grace + 10));
      assertThat(summaryLines(router.log()))
          .as(router.log())
          .singleElement()
          .asString()
          .contains("drained with 500 records left")
          .contains("app_logs=0 delivered/500 left (")
          // The output's last error: the refused connection, or the SDK's acquire timeout, which
          // ends the few connection attempts to the dead port its pool never completes.
          .containsPattern(
              "last state: FAILING SdkClientException: .*"
                  + "(Connection refused|Acquire operation took longer)")
          .contains("local=500 delivered");
    }
  }

  @Test
  void aSecondSignalDuringALongDrainStopsSoonAndStillReportsTheResidue() throws Exception {
    int grace = 60;
    ChildConfig config = deadCloudWatchConfig(grace);
    try (ChildRouter router =
        ChildRouter.start(dir, config.file(), config.adminPort(), ChildConfig.DEAD_CLOUDWATCH)) {
      sendAndAwaitAcks(config, 300);
      awaitFailing(router);
      router.terminate();
      Await.until(Duration.ofSeconds(10), () -> router.status("/ready") == 503, router::log);
      router.terminate();
      long second = System.nanoTime();
      int exit = router.awaitExit(Duration.ofSeconds(30));
      Duration took = Duration.ofNanos(System.nanoTime() - second);
      assertThat(exit).as("exit code; log:\n%s", router.log()).isEqualTo(1);
      assertThat(took).as("a 60 s drain cut short").isLessThan(Duration.ofSeconds(10));
      assertThat(router.log()).contains("second stop signal");
      assertThat(summaryLines(router.log()))
          .as(router.log())
          .singleElement()
          .asString()
          .contains("drained with 300 records left")
          .contains("app_logs=0 delivered/300 left (cut short by a second signal")
          .contains("local=300 delivered");
    }
  }

  /** One file output under the test's folder, every record to it. */
  private String fileOutput() {
    return """
        outputs:
          local:
            type: file
            path: "%s/out/{{ tag }}.jsonl"
        routes:
          - to: [local]
        """
        .formatted(dir);
  }

  /**
   * A file output and a CloudWatch Logs output that cannot deliver (run it with {@link
   * ChildConfig#DEAD_CLOUDWATCH}); chunks are acked on receipt, so the client is not held.
   */
  private ChildConfig deadCloudWatchConfig(int graceSeconds) throws Exception {
    return ChildConfig.write(
        dir, "grace: " + graceSeconds + "s", "ack: received", fileAndCloudWatch("/dead"));
  }

  /** A file output and a CloudWatch Logs output to {@code group}, every record to both. */
  private String fileAndCloudWatch(String group) {
    return """
        outputs:
          local:
            type: file
            path: "%s/out/{{ tag }}.jsonl"
          app_logs:
            type: cloudwatch_logs
            region: us-east-1
            log_group: %s
            log_stream: "{{ tag }}"
        routes:
          - to: [local, app_logs]
        """
        .formatted(dir, group);
  }

  private static void sendAndAwaitAcks(ChildConfig config, int count) throws Exception {
    try (Fluency fluency = config.fluency()) {
      for (int i = 0; i < count; i++) {
        fluency.emit("app", Map.of("seq", i));
      }
      fluency.flush();
      assertThat(fluency.waitUntilAllBufferFlushed(20)).as("every chunk acked").isTrue();
    }
  }

  /** Until {@code /routes} shows the CloudWatch output failing: it cannot deliver at the signal. */
  private static void awaitFailing(ChildRouter router) {
    Await.until(
        Duration.ofSeconds(30),
        () -> {
          try {
            return router.get("/routes").contains("\"state\" : \"failing\"");
          } catch (java.io.IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        },
        router::log);
  }

  /** The shutdown summary: the one line that says how the drain ended. */
  private static List<String> summaryLines(String log) {
    return log.lines()
        .filter(l -> l.contains("drained cleanly") || l.contains("drained with"))
        .toList();
  }

  /** The {@code seq} of every line, sorted: a record lost or written twice shows. */
  private static List<Integer> seqs(Path file) throws Exception {
    List<Integer> seqs = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      seqs.add(JSON.readTree(line).get("seq").asInt());
    }
    java.util.Collections.sort(seqs);
    return seqs;
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }
}
