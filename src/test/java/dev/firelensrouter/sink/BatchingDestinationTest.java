package dev.firelensrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine under a hand-driven clock: the test decides when time passes and when each request is
 * answered, so linger, backoff, throttling and rate caps are checked without sleeping.
 */
class BatchingDestinationTest {
  private static final long MS = 1_000_000;

  /** Full jitter that always picks the longest delay: backoffs are exact in these tests. */
  private static final java.util.random.RandomGenerator LONGEST =
      new java.util.random.RandomGenerator() {
        @Override
        public long nextLong() {
          return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final DeliveryMetrics families = new DeliveryMetrics(registry);
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final AtomicInteger acked = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** A service whose every request waits until the test answers it. */
  private static final class HeldService implements BatchSender<Integer> {
    record Call(
        String partition, List<Integer> entries, CompletableFuture<List<EntryResult>> answer) {
      void answer(Function<Integer, EntryResult> perEntry) {
        List<EntryResult> out = new ArrayList<>();
        entries.forEach(e -> out.add(perEntry.apply(e)));
        answer.complete(out);
      }

      void deliverAll() {
        answer(e -> EntryResult.DELIVERED);
      }

      /** The whole request fails, as the SDK reports a refused call. */
      void fail(Throwable error) {
        answer.completeExceptionally(error);
      }
    }

    /** A failed call whose message names a throttle is throttled, as AwsErrors reads the code. */
    @Override
    public EntryResult failure(Throwable error) {
      String text = String.valueOf(error);
      return new EntryResult.Retry(text, text.contains("ThrottlingException"));
    }

    final List<Call> calls = new ArrayList<>();
    int maxCount = 10;

    @Override
    public int size(Integer entry) {
      return 100;
    }

    @Override
    public int maxBatchCount() {
      return maxCount;
    }

    @Override
    public long maxBatchBytes() {
      return 1_000_000;
    }

    @Override
    public synchronized CompletableFuture<List<EntryResult>> send(
        String partition, List<Integer> batch) {
      Call c = new Call(partition, List.copyOf(batch), new CompletableFuture<>());
      calls.add(c);
      return c.answer;
    }

    synchronized Call call(int i) {
      return calls.get(i);
    }

    synchronized int count() {
      return calls.size();
    }

    synchronized List<Call> open() {
      return calls.stream().filter(c -> !c.answer.isDone()).toList();
    }
  }

  private BatchingDestination<Integer> destination(
      String name, HeldService service, BatchingOptions options, long quota) {
    return destination(name, service, options, quota, Optional.empty());
  }

  private BatchingDestination<Integer> destination(
      String name,
      HeldService service,
      BatchingOptions options,
      long quota,
      Optional<RequestRateCap> accountCap) {
    DestinationContext ctx =
        new DestinationContext(
            name,
            families.forOutput(name),
            new DeadLetterFile(dir, name),
            quota,
            dir,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            new PrometheusRegistry(),
            Map.of());
    // Partition "p<n>" from the event's nanos field: entry n goes to partition n % partitions.
    return new BatchingDestination<>(
        ctx,
        (tag, event) -> EntryConverter.Converted.of("p" + event.seconds(), event.nanos()),
        service,
        options,
        accountCap,
        now::get,
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)),
        () -> LONGEST);
  }

  /** A destination whose dead-letter file cannot be written (its folder is a plain file). */
  private BatchingDestination<Integer> withBrokenDeadLetters(
      String name, HeldService service, EntryConverter<Integer> converter) throws Exception {
    Path data = Files.createDirectories(dir.resolve("full-disk"));
    Files.writeString(data.resolve("dead-letter"), "not a folder");
    DestinationContext ctx =
        new DestinationContext(
            name,
            families.forOutput(name),
            new DeadLetterFile(data, name),
            1 << 20,
            data,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            new PrometheusRegistry(),
            Map.of());
    return new BatchingDestination<>(
        ctx,
        converter,
        service,
        options(10, 1),
        Optional.empty(),
        now::get,
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)),
        () -> LONGEST);
  }

  private static BatchingOptions options(int maxAttempts, int maxInFlight) {
    return new BatchingOptions(
        Duration.ofSeconds(1), false, maxAttempts, Duration.ofHours(1), maxInFlight);
  }

  /** One chunk of {@code n} entries numbered from {@code first}, to partition {@code p}. */
  private void send(BatchingDestination<Integer> d, int partition, int first, int n) {
    ChunkTicket t = new ChunkTicket(acked::incrementAndGet);
    for (int i = first; i < first + n; i++) {
      d.accept("tag", new Event(partition, i, new byte[] {(byte) 0x80}), t);
    }
    t.release();
  }

  private void advance(long millis) {
    now.addAndGet(millis * MS);
  }

  private OutputMetrics.Snapshot ledger(String name) {
    OutputMetrics.Snapshot s = families.forOutput(name).snapshot();
    assertThat(s.balanced()).as("ledger balanced: %s", s).isTrue();
    return s;
  }

  @Test
  void aFullBatchGoesAtOnceAndAPartialOneWaitsForTheLingerWhileARequestIsInFlight() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("linger", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 10);
    assertThat(service.count()).as("a full batch goes without waiting").isEqualTo(1);
    send(d, 0, 10, 3);
    d.onEndOfBatch();
    assertThat(service.count()).as("partial batch held while one is in flight").isEqualTo(1);
    advance(999);
    d.poll();
    assertThat(service.count()).isEqualTo(1);
    advance(1);
    d.poll();
    assertThat(service.count()).as("the linger passed").isEqualTo(2);
    assertThat(service.call(1).entries()).containsExactly(10, 11, 12);
    assertThat(ledger("linger").inFlight()).isEqualTo(13);
    service.call(0).deliverAll();
    service.call(1).deliverAll();
    assertThat(acked.get()).isEqualTo(2);
    assertThat(ledger("linger").delivered()).isEqualTo(13);
  }

  @Test
  void halfABatchGoesWhileARequestIsInFlightSoClientsWaitingForAcksAreNotSerialized() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("half", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 10);
    send(d, 0, 10, 4);
    d.onEndOfBatch();
    assertThat(service.count()).as("under half a batch waits").isEqualTo(1);
    send(d, 0, 14, 1);
    d.onEndOfBatch();
    assertThat(service.count()).as("half a batch goes without the linger").isEqualTo(2);
    assertThat(service.call(1).entries()).containsExactly(10, 11, 12, 13, 14);
    service.call(1).deliverAll();
    assertThat(acked.get())
        .as("the later chunks are acked without waiting for the first")
        .isEqualTo(2);
    service.call(0).deliverAll();
    assertThat(ledger("half").delivered()).isEqualTo(15);
  }

  @Test
  void theRouterThreadHandsReadyBatchesToTheRequestThreadAndDoesNotSendThemItself() {
    HeldService service = new HeldService();
    List<Runnable> requestThread = new ArrayList<>();
    DestinationContext ctx =
        new DestinationContext(
            "handoff",
            families.forOutput("handoff"),
            new DeadLetterFile(dir, "handoff"),
            new MemoryShare(1 << 20),
            dir,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            new PrometheusRegistry(),
            Map.of(),
            RequestRateCaps.NONE,
            requestThread::add);
    BatchingDestination<Integer> d =
        new BatchingDestination<>(
            ctx,
            (tag, event) -> EntryConverter.Converted.of("p", event.nanos()),
            service,
            options(10, 4),
            Optional.empty(),
            now::get,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)),
            () -> LONGEST);
    send(d, 0, 0, 10); // a full batch
    send(d, 0, 10, 3);
    d.onEndOfBatch(); // and a partial one that may go: more requests may be in flight
    assertThat(service.count()).as("nothing sent on the router thread").isZero();
    assertThat(requestThread).hasSize(1);
    assertThat(ledger("handoff").inFlight()).as("counted in flight once taken").isEqualTo(10);

    requestThread.remove(0).run();
    assertThat(service.count()).isEqualTo(1);
    assertThat(service.call(0).entries()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    service.call(0).deliverAll();
    assertThat(acked.get()).as("the first chunk acked once its batch was answered").isEqualTo(1);
    assertThat(ledger("handoff").delivered()).isEqualTo(10);
  }

  @Test
  void aQuietRingSendsAPartialBatchAtOnceWhenNothingIsInFlight() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("quiet", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 3);
    d.onEndOfBatch();
    assertThat(service.count()).isEqualTo(1);
    assertThat(service.call(0).entries()).containsExactly(0, 1, 2);
  }

  @Test
  void partialFailuresResendOnlyTheFailedEntriesAfterTheirBackoffWithoutHoldingBackNewOnes() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("partial", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 10);
    service
        .call(0)
        .answer(
            e ->
                e % 3 == 0
                    ? new EntryResult.Retry("InternalFailure", false)
                    : EntryResult.DELIVERED);
    assertThat(acked.get()).as("the chunk waits for its failed entries").isZero();
    assertThat(ledger("partial").buffered()).isEqualTo(4);
    send(d, 0, 10, 10);
    assertThat(service.count()).as("new entries are not held behind the retries").isEqualTo(2);
    assertThat(service.call(1).entries()).containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    advance(101);
    d.poll();
    assertThat(service.count()).as("the retries go once their backoff passed").isEqualTo(3);
    assertThat(service.call(2).entries()).containsExactly(0, 3, 6, 9);
    service.call(2).deliverAll();
    service.call(1).deliverAll();
    assertThat(acked.get()).isEqualTo(2);
    OutputMetrics.Snapshot s = ledger("partial");
    assertThat(s.delivered()).isEqualTo(20);
    assertThat(s.buffered() + s.inFlight()).isZero();
    assertThat(d.drain(Instant.now().plusSeconds(5)).isClean()).isTrue();
  }

  @Test
  void entriesThatNeverGoThroughAreDeadLetteredWithTheReasonAndTheChunkIsStillAcked()
      throws Exception {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("dead", service, options(2, 4), 1 << 20);
    send(d, 0, 0, 5);
    d.onEndOfBatch();
    service.call(0).answer(e -> new EntryResult.Retry("InternalFailure", false));
    advance(200);
    d.poll();
    service.call(1).answer(e -> new EntryResult.Retry("InternalFailure", false));
    assertThat(acked.get()).isEqualTo(1);
    assertThat(Files.readAllLines(dir.resolve("dead-letter/dead.jsonl")))
        .hasSize(5)
        .allSatisfy(l -> assertThat(l).contains("max_attempts: InternalFailure"));
    OutputMetrics.Snapshot s = ledger("dead");
    assertThat(s.deadLettered()).containsEntry("max_attempts", 5L);
    assertThat(s.delivered()).isZero();
  }

  @Test
  void rejectedEntriesAreDeadLetteredAtOnceAndNeverCountedDelivered() throws Exception {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("rejected", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 4);
    d.onEndOfBatch();
    service
        .call(0)
        .answer(e -> e == 2 ? new EntryResult.Fail("rejected_too_old") : EntryResult.DELIVERED);
    assertThat(acked.get()).isEqualTo(1);
    OutputMetrics.Snapshot s = ledger("rejected");
    assertThat(s.delivered()).isEqualTo(3);
    assertThat(s.deadLettered()).containsEntry("rejected_too_old", 1L);
    assertThat(Files.readAllLines(dir.resolve("dead-letter/rejected.jsonl"))).hasSize(1);
  }

  @Test
  void anAnswerWithSomeEntriesThrottledCountsAsPartialAndTheCallItselfThrottledAsThrottled() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("outcomes", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 10);
    // Firehose's 200 with FailedPutCount: 3 of 10 records ServiceUnavailableException.
    service
        .call(0)
        .answer(
            e ->
                e < 3
                    ? new EntryResult.Retry("ServiceUnavailableException", true)
                    : EntryResult.DELIVERED);
    advance(2_000);
    d.poll();
    // The whole call refused with a throttle.
    service.call(1).fail(new IllegalStateException("ThrottlingException: Rate exceeded"));
    String metrics = dev.firelensrouter.ops.PrometheusText.scrape(registry);
    assertThat(metrics)
        .contains("firelens_router_requests_total{outcome=\"partial\",output=\"outcomes\"} 1.0")
        .contains("firelens_router_requests_total{outcome=\"throttled\",output=\"outcomes\"} 1.0");
  }

  @Test
  void aThrottledPartitionHalvesItsRequestsInFlightAndGrowsBackOnSuccess() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("throttle", service, options(100, 8), 1 << 24);
    send(d, 0, 0, 200);
    assertThat(service.open()).as("max_in_flight requests at once").hasSize(8);
    for (HeldService.Call c : service.open()) {
      c.answer(e -> new EntryResult.Retry("ThrottlingException", true));
    }
    assertThat(d.state().health()).isEqualTo(DestinationState.Health.THROTTLED);
    advance(10_000);
    d.poll();
    assertThat(service.open()).as("after 8 throttles the limit is down to one").hasSize(1);
    // Each success adds 1/limit: the limit climbs back about one request per round trip.
    List<Integer> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      service.open().forEach(HeldService.Call::deliverAll);
      inFlight.add(service.open().size());
    }
    assertThat(inFlight).containsExactly(2, 3, 4);
    ledger("throttle");
  }

  @Test
  void aLongThrottleRetriesWithinSecondsSoAcksAreNotHeldPastAClientsTimeout() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("long", service, options(3, 4), 1 << 20);
    send(d, 0, 0, 5);
    d.onEndOfBatch();
    for (int i = 1; i <= 12; i++) {
      service.call(i - 1).answer(e -> new EntryResult.Retry("ThrottlingException", true));
      advance(3_201);
      d.poll();
      assertThat(service.count())
          .as("retry %d is due within 3.2 s (the test backoff starts at 100 ms)", i)
          .isEqualTo(i + 1);
    }
    service.call(12).deliverAll();
    assertThat(acked.get()).as("throttling never used up max_attempts: 3").isEqualTo(1);
    assertThat(ledger("long").delivered()).isEqualTo(5);
  }

  @Test
  void aThrottledPartitionDoesNotSlowDownTheOthers() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("streams", service, options(100, 4), 1 << 24);
    send(d, 0, 0, 10);
    send(d, 1, 100, 10);
    assertThat(service.open()).hasSize(2);
    service.call(0).answer(e -> new EntryResult.Retry("ThrottlingException", true));
    service.call(1).deliverAll();
    // The destination-wide limit halves (4 -> 2), partition p1's own limit does not.
    send(d, 1, 110, 10);
    send(d, 1, 120, 10);
    assertThat(service.open()).extracting(HeldService.Call::partition).containsOnly("p1");
    assertThat(service.open()).hasSize(2);
  }

  @Test
  void aRequestRateCapPacesRequestsAndAnAccountCapIsSharedByEveryOutput() {
    HeldService a = new HeldService();
    HeldService b = new HeldService();
    RequestRateCap account = new RequestRateCap(2, 0);
    BatchingOptions opts = options(10, 64);
    BatchingDestination<Integer> da = destination("a", a, opts, 1 << 24, Optional.of(account));
    BatchingDestination<Integer> db = destination("b", b, opts, 1 << 24, Optional.of(account));
    send(da, 0, 0, 30);
    send(db, 0, 0, 30);
    assertThat(a.count() + b.count()).as("two requests per second for both").isEqualTo(2);
    advance(500);
    da.poll();
    db.poll();
    assertThat(a.count() + b.count()).isEqualTo(3);
    advance(500);
    da.poll();
    db.poll();
    assertThat(a.count() + b.count()).isEqualTo(4);
    assertThat(a.count()).isPositive();
    assertThat(b.count()).isPositive();
  }

  @Test
  void anOutputsOwnByteRateCapIsChargedTheBytesOfEachBatchAndMakesTheNextOneWaitForTheDebt() {
    HeldService service = new HeldService();
    BatchingOptions opts =
        new BatchingOptions(Duration.ofSeconds(1), false, 10, Duration.ofHours(1), 8, 0, 1_500);
    BatchingDestination<Integer> d = destination("bytes", service, opts, 1 << 24);
    send(d, 0, 0, 30);
    // Each batch is charged its own bytes (10 entries of 100 bytes), not the 1 MB batch limit:
    // two go on the 1,500-byte bucket, leaving a 500-byte debt, paid in a third of a second.
    assertThat(service.count()).isEqualTo(2);
    advance(333);
    d.poll();
    assertThat(service.count()).isEqualTo(2);
    advance(1);
    d.poll();
    assertThat(service.count()).isEqualTo(3);
  }

  @Test
  void aRateCapThatMakesARequestWaitSpendsNothingWhenThereIsNothingToSend() {
    RequestRateCap cap = new RequestRateCap(1, 0);
    HeldService service = new HeldService();
    BatchingDestination<Integer> d =
        destination("idle", service, options(10, 8), 1 << 24, Optional.of(cap));
    d.poll();
    d.onEndOfBatch();
    assertThat(cap.waitNanos(now.get())).as("no batch, no token spent").isZero();
    send(d, 0, 0, 10);
    assertThat(service.count()).isEqualTo(1);
    assertThat(cap.waitNanos(now.get())).isPositive();
  }

  @Test
  void aFullBufferDropsTheNewestWhenAskedToAndCountsThem() {
    HeldService service = new HeldService();
    BatchingOptions drop =
        new BatchingOptions(Duration.ofSeconds(1), true, 10, Duration.ofHours(1), 1);
    BatchingDestination<Integer> d = destination("full", service, drop, 3_000);
    send(d, 0, 0, 40);
    OutputMetrics.Snapshot s = ledger("full");
    assertThat(s.received()).isEqualTo(40);
    assertThat(s.dropped()).containsKey("buffer_full");
    assertThat(s.buffered() + s.inFlight()).isLessThan(40);
    assertThat(acked.get()).as("dropped records still let the chunk be acked").isZero();
    service.open().forEach(HeldService.Call::deliverAll);
    d.onEndOfBatch();
    service.open().forEach(HeldService.Call::deliverAll);
    assertThat(acked.get()).isEqualTo(1);
  }

  @Test
  void drainSendsEveryPartialBatchAndRetryAtOnce() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination("drain", service, options(10, 4), 1 << 20);
    send(d, 0, 0, 10);
    send(d, 0, 10, 3);
    service
        .call(0)
        .answer(
            e -> e < 2 ? new EntryResult.Retry("InternalFailure", false) : EntryResult.DELIVERED);
    // Nobody answers the requests the drain sends from another thread: answer them as they come.
    CompletableFuture<DrainReport> report =
        CompletableFuture.supplyAsync(() -> d.drain(Instant.now().plusSeconds(10)));
    while (!report.isDone()) {
      service.open().forEach(HeldService.Call::deliverAll);
      advance(1); // the retries' backoff, cut short by the drain, passes
      Thread.onSpinWait();
    }
    assertThat(report.join().isClean()).isTrue();
    assertThat(ledger("drain").delivered()).isEqualTo(13);
    assertThat(acked.get()).isEqualTo(2);
  }

  @Test
  void aDeadLetterFileThatCannotBeWrittenDropsTheRejectedRecordsAndTheOutputGoesOn()
      throws Exception {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d =
        withBrokenDeadLetters(
            "nodisk",
            service,
            (tag, event) -> EntryConverter.Converted.of("p" + event.seconds(), event.nanos()));
    send(d, 0, 0, 10);
    service
        .call(0)
        .answer(e -> e < 5 ? new EntryResult.Fail("rejected_too_old") : EntryResult.DELIVERED);
    assertThat(acked.get()).as("the chunk is still acked").isEqualTo(1);
    OutputMetrics.Snapshot s = ledger("nodisk");
    assertThat(s.dropped()).containsEntry("dead_letter_failed", 5L);
    assertThat(s.delivered()).isEqualTo(5);
    assertThat(s.inFlight()).isZero();
    send(d, 0, 10, 10);
    assertThat(service.count()).as("the request slot came back: the next batch goes").isEqualTo(2);
  }

  @Test
  void aRefusedRecordWhoseDeadLetterCannotBeWrittenIsDroppedWithoutReachingTheRouter()
      throws Exception {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d =
        withBrokenDeadLetters(
            "nodisk2", service, (tag, event) -> EntryConverter.Converted.refused("too_old"));
    send(d, 0, 0, 3);
    assertThat(acked.get()).isEqualTo(1);
    assertThat(ledger("nodisk2").dropped()).containsEntry("dead_letter_failed", 3L);
  }
}
