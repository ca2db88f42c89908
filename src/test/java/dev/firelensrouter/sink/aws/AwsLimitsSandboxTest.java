package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.sandbox.ApiFaults;
import dev.firelensrouter.sink.OutputMetrics;
import dev.firelensrouter.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.EventTime;
import org.komamitsu.fluency.Fluency;

/**
 * Every AWS limit at its edge, against the strict sandbox emulators that refuse anything over a
 * limit exactly as AWS does: the router fills batches up to each limit and never over it. One
 * request is in flight at a time and the emulator holds it until every record has reached the
 * output, so records pile up and batches fill, however fast the machine.
 */
class AwsLimitsSandboxTest {
  @TempDir Path dir;

  private static final String CLOUDWATCH =
      """
      outputs:
        app_logs:
          type: cloudwatch_logs
          region: us-east-1
          log_group: /ecs/limits
          log_stream: "{{ tag }}"
          message: log
          max_in_flight: 1
          flush_interval: 10s
      routes:
        - to: [app_logs]
      """;

  private static final String FIREHOSE =
      """
      outputs:
        lake:
          type: firehose
          region: us-east-1
          delivery_stream: lake
          message: log
          max_in_flight: 1
          flush_interval: 10s
      routes:
        - to: [lake]
      """;

  private static final String RECEIVED = "ack: received";

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static List<String> texts(int n, int length) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String head = i + ":";
      out.add(head + "m".repeat(length - head.length()));
    }
    return out;
  }

  /**
   * Sends {@code texts} (acked on receipt) while the emulator holds its requests ({@code pause}),
   * and lets them go ({@code resume}) once the output has all of them; returns when every record is
   * settled.
   */
  private static void sendHeld(
      AwsSandboxRig rig, Runnable pause, Runnable resume, String output, List<String> texts)
      throws Exception {
    pause.run();
    try {
      rig.send("app", texts, now());
      Await.until(
          Duration.ofSeconds(60),
          () -> rig.ledger(output).received() == texts.size(),
          () -> output + " " + rig.ledger(output));
    } finally {
      resume.run();
    }
    Await.until(
        Duration.ofSeconds(60),
        () ->
            rig.ledger(output).delivered() + rig.ledger(output).deadLetteredTotal() == texts.size(),
        () -> output + " " + rig.ledger(output));
  }

  private static void assertAllDelivered(OutputMetrics.Snapshot s, long n) {
    assertThat(s.delivered()).as("%s", s).isEqualTo(n);
    assertThat(s.deadLetteredTotal() + s.droppedTotal()).as("%s", s).isZero();
  }

  @Test
  void cloudWatchBatchesHoldAtMostTenThousandEventsAndReachIt() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, CLOUDWATCH, true, RECEIVED)) {
      sendHeld(rig, rig.logs::pause, rig.logs::resume, "app_logs", texts(25_000, 20));
      assertAllDelivered(rig.ledger("app_logs"), 25_000);
      assertThat(rig.logs.largestBatchEvents()).isEqualTo(10_000);
      assertThat(rig.logLines("/ecs/limits", "app")).hasSize(25_000);
    }
  }

  @Test
  void cloudWatchBatchesReachExactly1048576BytesCountingTwentySixPerEvent() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, CLOUDWATCH, true, RECEIVED)) {
      // 16 events of 65,510 bytes + 26 each: exactly 1,048,576.
      sendHeld(rig, rig.logs::pause, rig.logs::resume, "app_logs", texts(40, 65_510));
      assertAllDelivered(rig.ledger("app_logs"), 40);
      assertThat(rig.logs.largestBatchBytes()).isEqualTo(1_048_576);
    }
  }

  @Test
  void oneByteMoreAndTheBatchHoldsOneEventLess() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, CLOUDWATCH, true, RECEIVED)) {
      sendHeld(rig, rig.logs::pause, rig.logs::resume, "app_logs", texts(40, 65_511));
      assertAllDelivered(rig.ledger("app_logs"), 40);
      assertThat(rig.logs.largestBatchBytes()).isEqualTo(15L * (65_511 + 26));
    }
  }

  @Test
  void eventsSpanningMoreThanADayGoInSeparateCalls() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, CLOUDWATCH, true)) {
      rig.logs.faults(ApiFaults.NONE.withLatency(Duration.ofMillis(300)));
      long threeDaysAgo = now() - 3 * 86_400;
      // Interleaved in one client's chunks: a batch would span 25 hours if nothing split it.
      try (Fluency fluency = rig.client()) {
        for (int i = 0; i < 100; i++) {
          fluency.emit("app", EventTime.fromEpoch(threeDaysAgo, 0), Map.of("log", "old " + i));
          fluency.emit(
              "app", EventTime.fromEpoch(threeDaysAgo + 25 * 3_600, 0), Map.of("log", "new " + i));
        }
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(60)).isTrue();
      }
      // Six calls of 300 ms each: the chunk can be acked from the spool before the last one.
      rig.awaitDelivered(200, "app_logs");
      assertAllDelivered(rig.ledger("app_logs"), 200);
      assertThat(rig.logLines("/ecs/limits", "app")).hasSize(200);
    }
  }

  @Test
  void firehoseBatchesHoldAtMost500RecordsAndReachIt() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, FIREHOSE, true, RECEIVED)) {
      sendHeld(rig, rig.firehose::pause, rig.firehose::resume, "lake", texts(3_000, 100));
      assertAllDelivered(rig.ledger("lake"), 3_000);
      assertThat(rig.firehose.largestCallRecords()).isEqualTo(500);
      assertThat(rig.firehoseLines("lake")).hasSize(3_000);
    }
  }

  @Test
  void firehoseRequestsStayUnderFourMebibytesOnTheWireAndComeClose() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, FIREHOSE, true, RECEIVED)) {
      sendHeld(rig, rig.firehose::pause, rig.firehose::resume, "lake", texts(60, 150_000));
      assertAllDelivered(rig.ledger("lake"), 60);
      // Each record is 200,016 bytes of base64 in the request: 20 fit, a 21st would not.
      assertThat(rig.firehose.largestCallBytes())
          .isLessThanOrEqualTo(4L << 20)
          .isGreaterThan(20L * 200_000);
    }
  }

  @Test
  void aFirehoseRecordOfExactly1000KibIsAcceptedAndOneByteMoreIsDeadLettered() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, FIREHOSE, true)) {
      // The log text plus the newline the output adds: 1,024,000 bytes, then 1,024,001.
      List<String> two = List.of("a".repeat(1_023_999), "b".repeat(1_024_000));
      rig.send("app", two, now());
      rig.awaitSettled(2, "lake");
      OutputMetrics.Snapshot s = rig.ledger("lake");
      assertThat(s.delivered()).isEqualTo(1);
      assertThat(s.deadLettered()).containsEntry("record_too_large", 1L);
      assertThat(rig.firehoseLines("lake"))
          .singleElement()
          .satisfies(l -> assertThat(l).startsWith("aaa"));
    }
  }

  @Test
  void manyStreamsAtOnceEachGetTheirOwnBatchesAndStreams() throws Exception {
    String manyStreams = CLOUDWATCH.replace("max_in_flight: 1", "max_in_flight: 8");
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, manyStreams, true)) {
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        tags.add("svc" + i);
      }
      Collections.shuffle(tags);
      rig.sendAcross(tags, texts(10, 30), now());
      rig.awaitDelivered(200 * 10, "app_logs");
      assertAllDelivered(rig.ledger("app_logs"), 200 * 10);
      for (String tag : tags) {
        assertThat(rig.logLines("/ecs/limits", tag)).as(tag).hasSize(10);
      }
    }
  }
}
