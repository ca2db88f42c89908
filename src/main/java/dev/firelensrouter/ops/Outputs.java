package dev.firelensrouter.ops;

import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.sink.DeadLetterFile;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.MemoryShare;
import dev.firelensrouter.sink.OutputMetrics;
import dev.firelensrouter.sink.OutputType;
import dev.firelensrouter.sink.RequestRateCaps;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live destinations by output name, with the spec each was built from (so a reload can keep the
 * ones that did not change) and each one's share of the memory budget. The budget is split equally
 * over the outputs that buffer in memory (CloudWatch Logs, Firehose); the others (S3 stages on
 * disk, local outputs write at once) get none. After a reload the shares are set again, so they
 * still add up to at most the budget.
 */
final class Outputs {
  private static final Logger LOG = LoggerFactory.getLogger(Outputs.class);

  /** A built destination and the options it was built from, compared without locations. */
  record Live(
      String type,
      Object options,
      Destination destination,
      DeadLetterFile deadLetters,
      MemoryShare memory) {}

  private final OutputCatalog catalog;
  private final DeliveryMetrics metrics;
  private final long budget;
  private final Path dataDir;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final TemplateScope scope;
  private final PrometheusRegistry registry;
  private final Map<String, URI> endpointOverrides;
  private final RequestRateCaps requestCaps;
  private final java.util.concurrent.Executor requests;
  private final Map<String, Live> live = new LinkedHashMap<>();

  Outputs(
      OutputCatalog catalog,
      DeliveryMetrics metrics,
      long budget,
      Path dataDir,
      Clock clock,
      ScheduledExecutorService scheduler,
      TemplateScope scope,
      PrometheusRegistry registry,
      Map<String, URI> endpointOverrides,
      RequestRateCaps requestCaps,
      java.util.concurrent.Executor requests) {
    this.catalog = catalog;
    this.metrics = metrics;
    this.budget = budget;
    this.dataDir = dataDir;
    this.clock = clock;
    this.scheduler = scheduler;
    this.scope = scope;
    this.registry = registry;
    this.endpointOverrides = endpointOverrides;
    this.requestCaps = requestCaps;
    this.requests = requests;
  }

  long budget() {
    return budget;
  }

  /** Builds every output of a first config. */
  synchronized Map<String, Destination> build(List<OutputSpec> specs, Problems problems) {
    Map<String, Destination> built = new LinkedHashMap<>();
    long quota = share(specs);
    for (OutputCatalog.Validated v : catalog.validate(specs, problems)) {
      Optional<Live> l = create(v, quota, problems);
      l.ifPresent(
          x -> {
            live.put(v.spec().name(), x);
            built.put(v.spec().name(), x.destination());
          });
    }
    return built;
  }

  /**
   * For a reload: the destinations of {@code specs}, reusing the live ones whose type and options
   * did not change. Returns the new map and the ones to retire (drain after the swap).
   */
  synchronized Plan plan(List<OutputSpec> specs, Problems problems) {
    List<OutputCatalog.Validated> valid = catalog.validate(specs, problems);
    Map<String, Live> next = new LinkedHashMap<>();
    List<Live> created = new ArrayList<>();
    long quota = share(specs);
    for (OutputCatalog.Validated v : valid) {
      Live old = live.get(v.spec().name());
      Object options = PlainYaml.of(v.spec().options());
      if (old != null && old.type().equals(v.spec().type()) && old.options().equals(options)) {
        next.put(v.spec().name(), old);
      } else if (!problems.hasErrors()) {
        Optional<Live> l = create(v, quota, problems);
        l.ifPresent(
            x -> {
              created.add(x);
              next.put(v.spec().name(), x);
            });
      }
    }
    List<Live> retired = new ArrayList<>();
    for (Map.Entry<String, Live> e : live.entrySet()) {
      if (next.get(e.getKey()) != e.getValue()) {
        retired.add(e.getValue());
      }
    }
    return new Plan(next, created, retired);
  }

  /** What a reload would change. */
  record Plan(Map<String, Live> next, List<Live> created, List<Live> retired) {
    Map<String, Destination> destinations() {
      Map<String, Destination> m = new LinkedHashMap<>();
      next.forEach((k, v) -> m.put(k, v.destination()));
      return m;
    }
  }

  /**
   * Makes {@code plan} the live set (for {@code /routes} and the drain at shutdown), and gives the
   * outputs it kept the same share as the new ones.
   */
  synchronized void adopt(Plan plan) {
    live.clear();
    live.putAll(plan.next());
    long quota = budget / Math.max(1, memoryOutputs(live.values().stream().map(Live::type)));
    for (Live l : live.values()) {
      l.memory().resize(buffersInMemory(l.type()) ? quota : 0);
    }
  }

  /** The share of each output that buffers in memory, for a config of {@code specs}. */
  private long share(List<OutputSpec> specs) {
    return budget / Math.max(1, memoryOutputs(specs.stream().map(OutputSpec::type)));
  }

  private long memoryOutputs(java.util.stream.Stream<String> types) {
    return types.filter(this::buffersInMemory).count();
  }

  private boolean buffersInMemory(String type) {
    OutputType<?> t = catalog.types().get(type);
    return t != null && t.buffersInMemory();
  }

  /** Drains the outputs {@code plan} replaced, in the background. */
  void retire(Plan plan, Instant drainDeadline) {
    for (Live old : plan.retired()) {
      CompletableFuture.runAsync(
          () -> {
            DrainReport r = old.destination().drain(drainDeadline);
            LOG.info(
                "output {} replaced by reload; drained: {}",
                r.output(),
                r.isClean() ? "clean" : r.undelivered() + " left (" + r.reason() + ")");
            closeQuietly(old.deadLetters());
          });
    }
  }

  /** Forgets outputs a refused reload had built. */
  synchronized void discard(Plan plan) {
    for (Live l : plan.created()) {
      l.destination().drain(Instant.now());
      closeQuietly(l.deadLetters());
    }
  }

  /**
   * Builds one output; what it cannot start with (no AWS region, say) is a problem at its place in
   * the config, like an invalid option, not a stack trace.
   */
  private Optional<Live> create(OutputCatalog.Validated v, long quota, Problems problems) {
    try {
      return Optional.of(create(v, quota));
    } catch (IllegalStateException | IllegalArgumentException e) {
      problems.error(
          v.spec().location(), "output '" + v.spec().name() + "' cannot start: " + e.getMessage());
      return Optional.empty();
    }
  }

  private Live create(OutputCatalog.Validated v, long quota) {
    String name = v.spec().name();
    DeadLetterFile dlq = new DeadLetterFile(dataDir, name);
    MemoryShare memory = new MemoryShare(buffersInMemory(v.spec().type()) ? quota : 0);
    DestinationContext ctx =
        new DestinationContext(
            name,
            metrics.forOutput(name),
            dlq,
            memory,
            dataDir,
            clock,
            scheduler,
            scope,
            registry,
            endpointOverrides,
            requestCaps,
            requests);
    return new Live(
        v.spec().type(), PlainYaml.of(v.spec().options()), v.factory().apply(ctx), dlq, memory);
  }

  synchronized Map<String, Live> live() {
    return Map.copyOf(live);
  }

  synchronized void startAll() {
    live.values().forEach(l -> l.destination().start());
  }

  /**
   * How long past the deadline an output's own drain report is awaited: it stops at the deadline
   * itself and says why; only one that does not is reported from its ledger.
   */
  static final java.time.Duration REPORT_SLACK = java.time.Duration.ofMillis(500);

  /**
   * Drains every output in parallel until {@code deadline}. If {@code cutoff} moves earlier while
   * they drain (a second stop signal, {@code hurried} then true), outputs still draining at the new
   * time are reported with what their ledgers still hold instead of being waited for.
   */
  List<DrainReport> drainAll(
      Instant deadline,
      java.util.function.Supplier<Instant> cutoff,
      java.util.function.BooleanSupplier hurried) {
    List<Live> all;
    synchronized (this) {
      all = List.copyOf(live.values());
    }
    List<CompletableFuture<DrainReport>> futures = new ArrayList<>();
    for (Live l : all) {
      futures.add(CompletableFuture.supplyAsync(() -> l.destination().drain(deadline)));
    }
    List<DrainReport> reports = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      Destination d = all.get(i).destination();
      try {
        reports.add(awaitOrCut(futures.get(i), cutoff, hurried, d));
      } catch (RuntimeException e) {
        reports.add(new DrainReport(d.name(), 0, -1, "drain failed: " + e));
      }
    }
    return reports;
  }

  private DrainReport awaitOrCut(
      CompletableFuture<DrainReport> drain,
      java.util.function.Supplier<Instant> cutoff,
      java.util.function.BooleanSupplier hurried,
      Destination destination) {
    while (true) {
      try {
        return drain.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        boolean cut = hurried.getAsBoolean();
        Instant until = cut ? cutoff.get() : cutoff.get().plus(REPORT_SLACK);
        if (!clock.instant().isBefore(until)) {
          return fromLedger(
              destination, cut ? "cut short by a second signal" : "its drain overran the deadline");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fromLedger(destination, "interrupted while draining");
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** What an output's ledger still holds, with why and its last trouble. */
  private DrainReport fromLedger(Destination destination, String why) {
    OutputMetrics.Snapshot s = metrics.forOutput(destination.name()).snapshot();
    dev.firelensrouter.sink.DestinationState state = destination.state();
    String reason =
        state.health() == dev.firelensrouter.sink.DestinationState.Health.HEALTHY
            ? why
            : why + "; last state: " + state.health() + " " + state.lastError();
    return new DrainReport(destination.name(), s.delivered(), s.buffered() + s.inFlight(), reason);
  }

  synchronized void closeAll() {
    for (Live l : live.values()) {
      closeQuietly(l.deadLetters());
    }
  }

  private static void closeQuietly(DeadLetterFile f) {
    try {
      f.close();
    } catch (IOException e) {
      LOG.warn("cannot close {}: {}", f.path(), e.toString());
    }
  }
}
