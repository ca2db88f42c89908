package dev.firelensrouter.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.BatchingOptions;
import dev.firelensrouter.sink.EntryResult;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

/**
 * {@code rejectedLogEventsInfo} as AWS reports it (end indexes exclusive, start index inclusive,
 * over the batch as sent, sorted by time): exactly those events fail, each with its reason, and the
 * others count as delivered, whatever order they were queued in.
 */
class RejectedEventsTest {
  /** A CloudWatch Logs client that answers every PutLogEvents with the given rejection info. */
  private static final class Answering implements CloudWatchLogsAsyncClient {
    final RejectedLogEventsInfo info;
    List<InputLogEvent> sent;

    Answering(RejectedLogEventsInfo info) {
      this.info = info;
    }

    @Override
    public CompletableFuture<PutLogEventsResponse> putLogEvents(PutLogEventsRequest request) {
      sent = request.logEvents();
      return CompletableFuture.completedFuture(
          PutLogEventsResponse.builder().rejectedLogEventsInfo(info).build());
    }

    @Override
    public String serviceName() {
      return "logs";
    }

    @Override
    public void close() {}
  }

  private static List<EntryResult> send(RejectedLogEventsInfo info, List<LogEvent> batch) {
    CloudWatchLogsConfig config =
        new CloudWatchLogsConfig(
            Template.compile("g", ZoneOffset.UTC),
            Template.compile("s", ZoneOffset.UTC),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            true,
            Optional.empty(),
            Optional.empty(),
            false,
            false,
            new BatchingOptions(Duration.ofSeconds(1), false, 10, Duration.ofHours(1), 4));
    Answering client = new Answering(info);
    List<EntryResult> results =
        new CloudWatchLogsSender(client, config).send("g\u0000s", batch).join();
    assertThat(client.sent)
        .extracting(InputLogEvent::timestamp)
        .as("sent sorted by time")
        .isSorted();
    return results;
  }

  private static LogEvent at(long timestamp) {
    return new LogEvent(timestamp, "m" + timestamp, 28);
  }

  @Test
  void tooOldEndIsExclusiveAndTooNewStartIsInclusiveOverTheSortedBatch() {
    // Queued out of order: sorted they are 10, 20, 30, 40, 50.
    List<LogEvent> batch = List.of(at(30), at(10), at(50), at(20), at(40));
    RejectedLogEventsInfo info =
        RejectedLogEventsInfo.builder()
            .tooOldLogEventEndIndex(2)
            .tooNewLogEventStartIndex(4)
            .build();
    List<EntryResult> r = send(info, batch);
    assertThat(r.get(1)).isEqualTo(new EntryResult.Fail("rejected_too_old")); // 10
    assertThat(r.get(3)).isEqualTo(new EntryResult.Fail("rejected_too_old")); // 20
    assertThat(r.get(0)).isEqualTo(EntryResult.DELIVERED); // 30
    assertThat(r.get(4)).isEqualTo(EntryResult.DELIVERED); // 40
    assertThat(r.get(2)).isEqualTo(new EntryResult.Fail("rejected_too_new")); // 50
  }

  @Test
  void expiredEventsAreRejectedUpToTheirExclusiveEnd() {
    List<LogEvent> batch = List.of(at(1), at(2), at(3));
    List<EntryResult> r =
        send(RejectedLogEventsInfo.builder().expiredLogEventEndIndex(1).build(), batch);
    assertThat(r)
        .containsExactly(
            new EntryResult.Fail("rejected_expired"), EntryResult.DELIVERED, EntryResult.DELIVERED);
  }

  @Test
  void anAnswerWithoutRejectionsDeliversTheWholeBatch() {
    assertThat(send(null, List.of(at(5), at(4)))).containsOnly(EntryResult.DELIVERED);
  }
}
