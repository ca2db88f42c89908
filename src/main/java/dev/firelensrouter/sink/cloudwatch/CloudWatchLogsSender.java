package dev.firelensrouter.sink.cloudwatch;

import dev.firelensrouter.aws.AwsErrors;
import dev.firelensrouter.sink.BatchSender;
import dev.firelensrouter.sink.EntryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * PutLogEvents for one (group, stream): at most 10,000 events and 1,048,576 bytes, sorted by
 * timestamp, spanning less than 24 hours. Events AWS reports in {@code rejectedLogEventsInfo} are
 * failed (dead-lettered with the reason), never counted delivered: {@code [0, tooOldEnd)} and
 * {@code [0, expiredEnd)} (end indexes are exclusive) and {@code [tooNewStart, n)} of the batch as
 * sent, sorted by time. A missing group or stream is created (the group only with {@code
 * auto_create_group}) and the batch is sent again; "already exists" counts as success. No
 * DescribeLogStreams, no sequence tokens.
 */
final class CloudWatchLogsSender implements BatchSender<LogEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsSender.class);
  private static final long DAY = Duration.ofHours(24).toMillis();

  private final CloudWatchLogsAsyncClient client;
  private final CloudWatchLogsConfig config;

  CloudWatchLogsSender(CloudWatchLogsAsyncClient client, CloudWatchLogsConfig config) {
    this.client = client;
    this.config = config;
  }

  @Override
  public int size(LogEvent entry) {
    return entry.size();
  }

  @Override
  public int maxBatchCount() {
    return 10_000;
  }

  @Override
  public long maxBatchBytes() {
    return 1_048_576;
  }

  /**
   * The events within 24 hours of the oldest candidate: the batch never spans a day, and events of
   * a later day wait for their own batch instead of cutting this one short (interleaved timestamps
   * would otherwise make batches of one).
   */
  @Override
  public BitSet select(List<LogEvent> candidates) {
    long oldest = Long.MAX_VALUE;
    for (LogEvent e : candidates) {
      oldest = Math.min(oldest, e.timestamp());
    }
    BitSet chosen = new BitSet(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).timestamp() - oldest < DAY) {
        chosen.set(i);
      }
    }
    return chosen;
  }

  @Override
  public EntryResult failure(Throwable error) {
    return AwsErrors.entryResult(error);
  }

  @Override
  public CompletableFuture<List<EntryResult>> send(String partition, List<LogEvent> batch) {
    int sep = partition.indexOf('\u0000');
    String group = partition.substring(0, sep);
    String stream = partition.substring(sep + 1);
    Integer[] order = new Integer[batch.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingLong(i -> batch.get(i).timestamp()));
    List<InputLogEvent> events = new ArrayList<>(batch.size());
    for (Integer i : order) {
      events.add(
          InputLogEvent.builder()
              .timestamp(batch.get(i).timestamp())
              .message(batch.get(i).message())
              .build());
    }
    return put(group, stream, events)
        .exceptionallyCompose(
            e ->
                AwsErrors.unwrap(e) instanceof ResourceNotFoundException
                    ? create(group, stream).thenCompose(v -> put(group, stream, events))
                    : CompletableFuture.failedFuture(e))
        .thenApply(response -> results(response, order));
  }

  private CompletableFuture<PutLogEventsResponse> put(
      String group, String stream, List<InputLogEvent> events) {
    return client.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(events));
  }

  private static List<EntryResult> results(PutLogEventsResponse response, Integer[] order) {
    EntryResult[] out = new EntryResult[order.length];
    RejectedLogEventsInfo rejected = response.rejectedLogEventsInfo();
    for (int sorted = 0; sorted < order.length; sorted++) {
      EntryResult r = EntryResult.DELIVERED;
      if (rejected != null) {
        if (rejected.tooNewLogEventStartIndex() != null
            && sorted >= rejected.tooNewLogEventStartIndex()) {
          r = new EntryResult.Fail("rejected_too_new");
        } else if (rejected.expiredLogEventEndIndex() != null
            && sorted < rejected.expiredLogEventEndIndex()) {
          r = new EntryResult.Fail("rejected_expired");
        } else if (rejected.tooOldLogEventEndIndex() != null
            && sorted < rejected.tooOldLogEventEndIndex()) {
          r = new EntryResult.Fail("rejected_too_old");
        }
      }
      out[order[sorted]] = r;
    }
    return List.of(out);
  }

  /** Creates the stream, and the group first when it is missing and allowed. */
  private CompletableFuture<Void> create(String group, String stream) {
    return client
        .createLogStream(r -> r.logGroupName(group).logStreamName(stream))
        .<Void>thenApply(r -> null)
        .exceptionallyCompose(
            e -> {
              Throwable cause = AwsErrors.unwrap(e);
              if (cause instanceof ResourceAlreadyExistsException) {
                return CompletableFuture.completedFuture(null);
              }
              if (cause instanceof ResourceNotFoundException && config.autoCreateGroup()) {
                return createGroup(group)
                    .thenCompose(
                        v ->
                            client.createLogStream(
                                r -> r.logGroupName(group).logStreamName(stream)))
                    .<Void>thenApply(r -> null)
                    .exceptionallyCompose(CloudWatchLogsSender::alreadyExistsIsFine);
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  private CompletableFuture<Void> createGroup(String group) {
    CompletableFuture<Void> created =
        client
            .createLogGroup(
                r -> {
                  r.logGroupName(group);
                  config.logGroupClass().ifPresent(r::logGroupClass);
                })
            .<Void>thenApply(r -> null)
            .exceptionallyCompose(CloudWatchLogsSender::alreadyExistsIsFine);
    if (config.retentionDays().isEmpty()) {
      return created;
    }
    // The group exists either way: a refused retention policy must not hold back its events.
    return created.thenCompose(
        v ->
            client
                .putRetentionPolicy(
                    r -> r.logGroupName(group).retentionInDays(config.retentionDays().get()))
                .<Void>thenApply(r -> null)
                .exceptionally(
                    e -> {
                      LOG.warn(
                          "log group {}: retention of {} days not set: {}",
                          group,
                          config.retentionDays().get(),
                          AwsErrors.code(e));
                      return null;
                    }));
  }

  private static CompletableFuture<Void> alreadyExistsIsFine(Throwable e) {
    return AwsErrors.unwrap(e) instanceof ResourceAlreadyExistsException
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(AwsErrors.unwrap(e));
  }
}
