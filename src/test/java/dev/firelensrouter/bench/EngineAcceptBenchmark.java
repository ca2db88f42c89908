package dev.firelensrouter.bench;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.sink.BatchSender;
import dev.firelensrouter.sink.BatchingDestination;
import dev.firelensrouter.sink.BatchingOptions;
import dev.firelensrouter.sink.DeadLetterFile;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.EntryConverter;
import dev.firelensrouter.sink.EntryResult;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's hot path under load: {@code accept} on the router thread while the output's one
 * request slot is taken, so every partition soon holds a full batch that cannot go out (what a slow
 * or throttled API looks like). Each invocation accepts {@link #EVENTS} events over 8 partitions,
 * then answers the requests until everything is delivered.
 *
 * <p>Run: {@code mvn -Pbench verify -DskipTests -Djmh.args="EngineAcceptBenchmark -f 1 -wi 2 -i
 * 3"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EngineAcceptBenchmark {
  static final int EVENTS = 20_000;
  static final int PARTITIONS = 8;

  /** Holds every request until {@link #answerAll} answers it. */
  static final class HeldSender implements BatchSender<Integer> {
    final List<CompletableFuture<List<EntryResult>>> open = new ArrayList<>();
    final List<Integer> sizes = new ArrayList<>();

    @Override
    public int size(Integer entry) {
      return 100;
    }

    @Override
    public int maxBatchCount() {
      return 500;
    }

    @Override
    public long maxBatchBytes() {
      return 1 << 20;
    }

    @Override
    public synchronized CompletableFuture<List<EntryResult>> send(
        String partition, List<Integer> batch) {
      CompletableFuture<List<EntryResult>> f = new CompletableFuture<>();
      open.add(f);
      sizes.add(batch.size());
      return f;
    }

    /** Answers the open requests (and those their answers let go) until none is left. */
    void answerAll() {
      while (true) {
        CompletableFuture<List<EntryResult>> f;
        int n;
        synchronized (this) {
          if (open.isEmpty()) {
            return;
          }
          f = open.remove(0);
          n = sizes.remove(0);
        }
        f.complete(java.util.Collections.nCopies(n, EntryResult.DELIVERED));
      }
    }
  }

  private ScheduledExecutorService scheduler;
  private Path dir;
  private HeldSender sender;
  private BatchingDestination<Integer> destination;
  private final Event[] events = new Event[EVENTS];

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("engine-bench");
    scheduler = Executors.newSingleThreadScheduledExecutor();
    PrometheusRegistry registry = new PrometheusRegistry();
    DestinationContext ctx =
        new DestinationContext(
            "bench",
            new DeliveryMetrics(registry).forOutput("bench"),
            new DeadLetterFile(dir, "bench"),
            256L << 20,
            dir,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            registry,
            Map.of());
    sender = new HeldSender();
    byte[] record = new byte[200];
    record[0] = (byte) 0x80;
    for (int i = 0; i < EVENTS; i++) {
      events[i] = new Event(i % PARTITIONS, i, record);
    }
    EntryConverter<Integer> converter =
        (tag, event) -> EntryConverter.Converted.of("p" + event.seconds(), event.nanos());
    destination =
        new BatchingDestination<>(
            ctx,
            converter,
            sender,
            new BatchingOptions(Duration.ofSeconds(1), false, 10, Duration.ofHours(1), 1));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scheduler.shutdownNow();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void acceptWhileTheRequestSlotIsTaken() {
    ChunkTicket ticket = ChunkTicket.untracked();
    for (int i = 0; i < EVENTS; i++) {
      destination.accept("tag", events[i], ticket);
    }
    destination.onEndOfBatch();
    sender.answerAll();
  }
}
