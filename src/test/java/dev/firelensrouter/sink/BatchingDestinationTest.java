package dev.firelensrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchingDestinationTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final DeliveryMetrics families = new DeliveryMetrics(new PrometheusRegistry());

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** A service that fails every third entry of the first attempt, and accepts everything after. */
  private static final class FlakyService implements BatchSender<Integer> {
    final Map<Integer, Integer> accepted = new HashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final List<Integer> batchSizes = new ArrayList<>();
    final boolean alwaysFail;

    FlakyService(boolean alwaysFail) {
      this.alwaysFail = alwaysFail;
    }

    @Override
    public int size(Integer entry) {
      return 100;
    }

    @Override
    public int maxBatchCount() {
      return 50;
    }

    @Override
    public long maxBatchBytes() {
      return 1_000_000;
    }

    @Override
    public synchronized CompletableFuture<List<EntryResult>> send(
        String partition, List<Integer> batch) {
      calls.incrementAndGet();
      batchSizes.add(batch.size());
      List<EntryResult> out = new ArrayList<>();
      for (Integer e : batch) {
        boolean fail = alwaysFail || (e % 3 == 0 && !accepted.containsKey(-e - 1));
        if (fail) {
          accepted.put(-e - 1, 0); // remember: the next attempt succeeds
          out.add(new EntryResult.Retry("InternalFailure", false));
        } else {
          accepted.merge(e, 1, Integer::sum);
          out.add(EntryResult.DELIVERED);
        }
      }
      return CompletableFuture.supplyAsync(() -> out);
    }
  }

  private BatchingDestination<Integer> destination(
      String name, BatchSender<Integer> sender, int maxAttempts, long quota) {
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
    BatchingOptions options =
        new BatchingOptions(Duration.ofMillis(20), false, maxAttempts, Duration.ofHours(1), 4);
    BatchingDestination<Integer> d =
        new BatchingDestination<>(
            ctx, (tag, event) -> EntryConverter.Converted.of("p", event.nanos()), sender, options);
    d.start();
    return d;
  }

  @Test
  void partialFailuresResendOnlyTheFailedEntriesAndAckEverythingOnce() {
    FlakyService service = new FlakyService(false);
    BatchingDestination<Integer> d = destination("flaky", service, 10, 10_000_000);
    List<ChunkTicket> tickets = new ArrayList<>();
    AtomicInteger acked = new AtomicInteger();
    for (int chunk = 0; chunk < 20; chunk++) {
      ChunkTicket t = new ChunkTicket(acked::incrementAndGet);
      for (int i = 0; i < 50; i++) {
        d.accept("tag", new Event(1, chunk * 50 + i, new byte[] {(byte) 0x80}), t);
      }
      t.release();
      tickets.add(t);
      d.onEndOfBatch();
    }
    Await.until(
        Duration.ofSeconds(20), () -> acked.get() == 20, () -> acked.get() + " of 20 chunks acked");
    synchronized (service) {
      for (int i = 0; i < 1000; i++) {
        assertThat(service.accepted.get(i)).as("entry %d delivered exactly once", i).isEqualTo(1);
      }
      assertThat(service.batchSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(50));
    }
    OutputMetrics m = families.forOutput("flaky");
    assertThat(m.receivedCount()).isEqualTo(1000);
    assertThat(m.deliveredCount()).isEqualTo(1000);
    assertThat(m.buffered() + m.inFlight()).isZero();
    assertThat(d.drain(Instant.now().plusSeconds(5)).isClean()).isTrue();
  }

  @Test
  void entriesThatNeverGoThroughAreDeadLetteredWithTheReasonAndStillAcked() throws Exception {
    BatchingDestination<Integer> d = destination("dead", new FlakyService(true), 2, 10_000_000);
    AtomicInteger acked = new AtomicInteger();
    ChunkTicket t = new ChunkTicket(acked::incrementAndGet);
    for (int i = 0; i < 5; i++) {
      d.accept("tag", new Event(1, i, new byte[] {(byte) 0x80}), t);
    }
    t.release();
    Await.until(Duration.ofSeconds(20), () -> acked.get() == 1, () -> "chunk not acked");
    assertThat(Files.readAllLines(dir.resolve("dead-letter/dead.jsonl")))
        .hasSize(5)
        .allSatisfy(l -> assertThat(l).contains("max_attempts: InternalFailure"));
    OutputMetrics m = families.forOutput("dead");
    assertThat(m.receivedCount()).isEqualTo(5);
    assertThat(m.deliveredCount()).isZero();
    assertThat(m.buffered() + m.inFlight()).isZero();
  }
}
