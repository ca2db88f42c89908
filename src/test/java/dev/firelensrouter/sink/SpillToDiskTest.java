package dev.firelensrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's disk spill under a hand-driven clock and a service that answers only when the test
 * says so: a dead output takes far more than its memory share without blocking the router, its
 * chunks are acked once on disk, and when the service comes back every record is delivered once, in
 * order per partition; a restart replays what the spool held, cutting a torn frame.
 */
@Timeout(30)
class SpillToDiskTest {
  private static final long MS = 1_000_000;

  /** The smallest memory share that holds a handful of entries (each costs 197 bytes here). */
  private static final long QUOTA = 2_000;

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private PrometheusRegistry registry = new PrometheusRegistry();
  private DeliveryMetrics families = new DeliveryMetrics(registry);
  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final AtomicInteger acked = new AtomicInteger();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** Holds every request until the test answers it. */
  private static final class HeldService implements BatchSender<Integer> {
    record Call(
        String partition, List<Integer> entries, CompletableFuture<List<EntryResult>> answer) {}

    final List<Call> calls = new ArrayList<>();

    @Override
    public int size(Integer entry) {
      return 100;
    }

    @Override
    public int maxBatchCount() {
      return 10;
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

    synchronized List<Call> open() {
      return calls.stream().filter(c -> !c.answer.isDone()).toList();
    }

    /** What each partition received, in the order the requests went out. */
    synchronized Map<String, List<Integer>> delivered() {
      Map<String, List<Integer>> out = new LinkedHashMap<>();
      for (Call c : calls) {
        List<EntryResult> r = c.answer.getNow(List.of());
        for (int i = 0; i < r.size(); i++) {
          if (r.get(i) instanceof EntryResult.Delivered) {
            out.computeIfAbsent(c.partition, k -> new ArrayList<>()).add(c.entries.get(i));
          }
        }
      }
      return out;
    }
  }

  private BatchingDestination<Integer> destination(
      HeldService service, long maxDisk, boolean dropWhenFull) {
    BatchingOptions options =
        new BatchingOptions(Duration.ofSeconds(1), dropWhenFull, 10, Duration.ofHours(1), 1)
            .withSpill(maxDisk, BatchingOptions.Fsync.NEVER);
    DestinationContext ctx =
        new DestinationContext(
            "dead",
            families.forOutput("dead"),
            new DeadLetterFile(dir, "dead"),
            QUOTA,
            dir,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            new PrometheusRegistry(),
            Map.of());
    BatchingDestination<Integer> d =
        new BatchingDestination<>(
            ctx,
            (tag, event) -> EntryConverter.Converted.of("p" + event.seconds(), event.nanos()),
            service,
            options,
            Optional.empty(),
            now::get,
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)),
            java.util.concurrent.ThreadLocalRandom::current);
    d.openSpool();
    return d;
  }

  /** Chunks of ten records, numbered from 0, alternating between partitions p0 and p1. */
  private void send(BatchingDestination<Integer> d, int records) {
    for (int first = 0; first < records; first += 10) {
      ChunkTicket t = new ChunkTicket(acked::incrementAndGet);
      for (int i = first; i < first + 10; i++) {
        byte[] record = new byte[50];
        record[0] = (byte) 0x80;
        d.accept("tag", new Event(i % 2, i, record), t);
      }
      t.release();
      d.onEndOfBatch();
    }
  }

  private OutputMetrics.Snapshot ledger() {
    OutputMetrics.Snapshot s = families.forOutput("dead").snapshot();
    assertThat(s.balanced()).as("ledger balanced: %s", s).isTrue();
    return s;
  }

  /** Answers every request as delivered, polling in between, until nothing is left to send. */
  private void recover(HeldService service, BatchingDestination<Integer> d) {
    for (int i = 0; i < 100_000; i++) {
      List<HeldService.Call> open = service.open();
      if (open.isEmpty()) {
        d.poll();
        if (service.open().isEmpty()) {
          return;
        }
        continue;
      }
      for (HeldService.Call c : open) {
        List<EntryResult> all = new ArrayList<>();
        c.entries.forEach(e -> all.add(EntryResult.DELIVERED));
        c.answer.complete(all);
      }
    }
  }

  private long spoolFiles() throws IOException {
    Path root = dir.resolve("spool/dead");
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".seg")).count();
    }
  }

  private static List<Integer> numbers(int from, int to, int step) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i += step) {
      out.add(i);
    }
    return out;
  }

  @Test
  void aDeadOutputTakesFarMoreThanItsMemoryWithoutBlockingAndDeliversAllInOrderWhenItIsBack()
      throws IOException {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination(service, 4 << 20, false);
    send(d, 2_000);
    OutputMetrics.Snapshot s = ledger();
    assertThat(s.received()).isEqualTo(2_000);
    assertThat(s.droppedTotal()).isZero();
    assertThat(d.status()).extractingByKey("spool").asString().contains("records=");
    assertThat(spoolFiles()).isPositive();
    assertThat(acked.get())
        .as("every chunk whose records are all on disk is acked at once")
        .isGreaterThanOrEqualTo(190);

    // The chunks whose records wait in memory are acked once those are written to disk too.
    now.addAndGet(BatchingDestination.PERSIST_AFTER_NANOS);
    d.poll();
    assertThat(acked.get()).as("every chunk acked while the output is down").isEqualTo(200);
    assertThat(service.open()).as("one request in flight, never answered yet").hasSize(1);

    recover(service, d);
    assertThat(ledger().delivered()).isEqualTo(2_000);
    assertThat(service.delivered())
        .as("each partition in order, each record once")
        .containsEntry("p0", numbers(0, 2_000, 2))
        .containsEntry("p1", numbers(1, 2_000, 2));
    d.poll();
    assertThat(spoolFiles()).as("settled segments are deleted").isZero();
    assertThat(d.drain(Instant.now().plusSeconds(5)).isClean()).isTrue();
  }

  @Test
  void whenMemoryAndDiskAreFullDropNewestDropsAndCountsOnlyThen() {
    HeldService service = new HeldService();
    BatchingDestination<Integer> d = destination(service, 256 << 10, true);
    send(d, 6_000);
    OutputMetrics.Snapshot s = ledger();
    assertThat(s.dropped()).containsKey("buffer_full");
    assertThat(s.buffered() + s.inFlight())
        .as("memory and 256 KiB of disk hold far more than the memory share alone")
        .isGreaterThan(1_000);
  }

  @Test
  void aRestartReplaysTheSpoolAndATornLastFrameIsCutAndCounted() throws IOException {
    HeldService dead = new HeldService();
    BatchingDestination<Integer> first = destination(dead, 4 << 20, false);
    send(first, 400);
    now.addAndGet(BatchingDestination.PERSIST_AFTER_NANOS);
    first.poll();
    assertThat(acked.get()).isEqualTo(40);
    // Stop without delivering anything (the grace is gone), then a crash while writing a frame.
    assertThat(first.drain(Instant.now()).isClean()).isFalse();
    Path segment;
    try (Stream<Path> files = Files.walk(dir.resolve("spool/dead"))) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).get();
    }
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 7, 7, 7}));
    }

    registry = new PrometheusRegistry(); // a new process, a new ledger
    families = new DeliveryMetrics(registry);
    HeldService back = new HeldService();
    BatchingDestination<Integer> second = destination(back, 4 << 20, false);
    assertThat(ledger().received()).as("recovered records count as received").isEqualTo(400);
    recover(back, second);
    assertThat(ledger().delivered()).isEqualTo(400);
    List<Integer> all = new ArrayList<>();
    back.delivered().values().forEach(all::addAll);
    assertThat(all).containsExactlyInAnyOrderElementsOf(numbers(0, 400, 1));
    assertThat(families.forOutput("dead").snapshot().received()).isEqualTo(400);
    assertThat(dev.firelensrouter.ops.PrometheusText.scrape(registry))
        .contains("firelens_router_spool_damaged_segments_total{output=\"dead\"} 1.0")
        .contains("firelens_router_spool_lost_bytes_total{output=\"dead\"} 7.0")
        .contains("firelens_router_spool_recovered_records_total{output=\"dead\"} 400.0");
  }
}
