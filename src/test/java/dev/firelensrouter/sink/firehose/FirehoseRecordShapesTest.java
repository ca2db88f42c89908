package dev.firelensrouter.sink.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.event.TestRecords;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sink.BatchingDestination;
import dev.firelensrouter.sink.BatchingOptions;
import dev.firelensrouter.sink.DeadLetterFile;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.OutputMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * What reaches Firehose, through the real SDK and the strict sandbox emulator: requests within 4
 * MiB counted as AWS counts them (base64), small records aggregated, oversized ones split or
 * dead-lettered, and every record exactly once in the delivery stream.
 */
class FirehoseRecordShapesTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final DeliveryMetrics families = new DeliveryMetrics(new PrometheusRegistry());
  private final List<PutRecordBatchRequest> requests = new ArrayList<>();
  private final FirehoseEmulator emulator = new FirehoseEmulator();
  private NettyLoops loops;
  private AwsClients aws;
  private FirehoseAsyncClient client;

  @BeforeEach
  void start() throws Exception {
    URI endpoint = emulator.start(dir.resolve("sandbox"));
    emulator.verifySignatures(AwsClients.SANDBOX_CREDENTIALS);
    loops = NettyLoops.create(1);
    aws = new AwsClients(loops, true);
    FirehoseAsyncClient real =
        aws.firehose(
            new AwsClients.Target(
                Optional.of("us-east-1"), Optional.of(endpoint), Optional.empty()));
    // The SDK client, with every request kept so the test can look at what went on the wire.
    client =
        new FirehoseAsyncClient() {
          @Override
          public CompletableFuture<PutRecordBatchResponse> putRecordBatch(
              PutRecordBatchRequest request) {
            synchronized (requests) {
              requests.add(request);
            }
            return real.putRecordBatch(request);
          }

          @Override
          public String serviceName() {
            return real.serviceName();
          }

          @Override
          public void close() {}
        };
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    aws.close();
    loops.close();
    emulator.stop();
  }

  private BatchingDestination<FirehoseEntry> destination(
      String name, boolean split, boolean aggregate) {
    FirehoseConfig config =
        new FirehoseConfig(
            Template.compile("lake", ZoneOffset.UTC),
            Optional.of("us-east-1"),
            Optional.empty(),
            Optional.empty(),
            Optional.of("log"),
            true,
            split,
            aggregate,
            // No linger while the test feeds records: on a slow machine a 50 ms linger sent
            // partial batches mid-feed, and how records are packed then depended on its speed.
            new BatchingOptions(Duration.ofMinutes(10), false, 10, Duration.ofHours(1), 4));
    DestinationContext ctx =
        new DestinationContext(
            name,
            families.forOutput(name),
            new DeadLetterFile(dir, name),
            256L << 20,
            dir,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            new PrometheusRegistry(),
            Map.of());
    FirehoseSender sender = new FirehoseSender(client, aggregate);
    BatchingDestination<FirehoseEntry> d =
        new BatchingDestination<>(
            ctx,
            new FirehoseRecords(config, TemplateScope.EMPTY, sender.maxBatchBytes()),
            sender,
            config.batching());
    d.start();
    return d;
  }

  /** Sends the lines as one chunk and drains; the chunk must be acked. */
  private OutputMetrics.Snapshot deliver(BatchingDestination<FirehoseEntry> d, List<String> lines) {
    AtomicInteger acked = new AtomicInteger();
    ChunkTicket ticket = new ChunkTicket(acked::incrementAndGet);
    for (String line : lines) {
      d.accept("app", TestRecords.event(TestRecords.map("log", line)), ticket);
    }
    ticket.release();
    d.onEndOfBatch();
    assertThat(d.drain(Instant.now().plusSeconds(30)).isClean()).isTrue();
    assertThat(acked.get()).as("chunk acked").isEqualTo(1);
    OutputMetrics.Snapshot s = families.forOutput(d.name()).snapshot();
    assertThat(s.balanced()).isTrue();
    return s;
  }

  private String stored() throws Exception {
    return Files.readString(dir.resolve("sandbox/firehose/lake.jsonl"), StandardCharsets.UTF_8);
  }

  private static long wireBytes(PutRecordBatchRequest r) {
    long n = FirehoseSender.REQUEST_FRAMING;
    for (Record rec : r.records()) {
      n += FirehoseSender.encodedSize(rec.data().asByteArray().length);
    }
    return n;
  }

  @Test
  void requestsStayWithinFourMebibytesCountedAsBase64() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add(i + " " + "x".repeat(300_000));
    }
    OutputMetrics.Snapshot s = deliver(destination("big", false, false), lines);
    assertThat(s.delivered()).isEqualTo(40);
    // 40 x 300 KB is 12 MB of data: 16 MB of base64, so at least 4 requests.
    assertThat(requests).hasSizeGreaterThanOrEqualTo(4);
    assertThat(requests).allSatisfy(r -> assertThat(wireBytes(r)).isLessThanOrEqualTo(4L << 20));
    assertThat(stored().lines()).hasSize(40);
  }

  @Test
  void aggregationPacksSmallRecordsIntoFewFirehoseRecordsAndKeepsEveryLineOnce() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      lines.add("line " + i + " " + "y".repeat(400));
    }
    OutputMetrics.Snapshot s = deliver(destination("packed", false, true), lines);
    assertThat(s.delivered()).isEqualTo(5000);
    long records = requests.stream().mapToLong(r -> r.records().size()).sum();
    // 5000 x ~410 bytes is ~2 MB: a few records of up to 1,000 KiB instead of 5000.
    assertThat(records).isLessThanOrEqualTo(10);
    assertThat(requests)
        .allSatisfy(
            r ->
                assertThat(r.records())
                    .allSatisfy(
                        rec ->
                            assertThat(rec.data().asByteArray().length)
                                .isLessThanOrEqualTo(FirehoseRecords.MAX_RECORD)));
    // Requests in flight together may land in any order; each line is there exactly once.
    assertThat(stored().lines()).containsExactlyInAnyOrderElementsOf(lines);
  }

  @Test
  void anOversizedRecordIsSplitIntoRecordsThatRejoinInOrderWhenAskedTo() throws Exception {
    String big = "é".repeat(1_200_000); // 2.4 MB of two-byte characters
    OutputMetrics.Snapshot s = deliver(destination("split", true, false), List.of(big));
    assertThat(s.delivered()).isEqualTo(1);
    assertThat(requests.get(0).records()).hasSize(3);
    assertThat(stored()).isEqualTo(big + "\n");
  }

  @Test
  void anOversizedRecordIsDeadLetteredByDefault() throws Exception {
    OutputMetrics.Snapshot s =
        deliver(destination("refuse", false, false), List.of("z".repeat(1_100_000), "small"));
    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.deadLettered()).containsEntry("record_too_large", 1L);
    assertThat(Files.readAllLines(dir.resolve("dead-letter/refuse.jsonl")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("\"reason\":\"record_too_large\""));
  }

  @Test
  void partialFailuresOfAggregatedRecordsResendOnlyTheirEntries() throws Exception {
    emulator.partialFailures(0.3);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      lines.add("seq " + i + " " + "q".repeat(2000));
    }
    OutputMetrics.Snapshot s = deliver(destination("flaky", false, true), lines);
    assertThat(s.delivered()).isEqualTo(3000);
    assertThat(stored().lines()).containsExactlyInAnyOrderElementsOf(lines);
  }
}
