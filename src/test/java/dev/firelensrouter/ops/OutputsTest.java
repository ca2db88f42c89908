package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.OutputType;
import dev.firelensrouter.sink.RequestRateCaps;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the memory budget is shared: only by outputs that buffer in memory, also after a reload. */
class OutputsTest {
  private static final long BUDGET = 64L << 20;

  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** An output type that builds destinations showing the quota they were given. */
  private record Kind(String type, boolean buffersInMemory) implements OutputType<String> {
    @Override
    public List<String> keys() {
      return List.of();
    }

    @Override
    public Optional<String> validate(OutputSpec spec, Problems problems) {
      return Optional.of(spec.name());
    }

    @Override
    public Destination create(String name, DestinationContext context) {
      return new Quota(name, context);
    }
  }

  private record Quota(String name, DestinationContext context) implements Destination {
    long bytes() {
      return context.memoryQuota();
    }

    @Override
    public void accept(String tag, Event event, ChunkTicket ticket) {}

    @Override
    public DrainReport drain(Instant deadline) {
      return DrainReport.clean(name, 0);
    }
  }

  private Outputs outputs() {
    PrometheusRegistry registry = new PrometheusRegistry();
    return new Outputs(
        new OutputCatalog(List.of(new Kind("cloudwatch_logs", true), new Kind("s3", false))),
        new DeliveryMetrics(registry),
        BUDGET,
        dir,
        Clock.systemUTC(),
        scheduler,
        TemplateScope.EMPTY,
        registry,
        Map.of(),
        RequestRateCaps.NONE,
        Runnable::run);
  }

  private List<OutputSpec> specs(String outputs) throws Exception {
    Path file = dir.resolve("c" + System.nanoTime() + ".yaml");
    Files.writeString(file, "outputs:\n" + outputs + "routes:\n  - to: [a]\n");
    Problems problems = new Problems();
    return new ConfigLoader(n -> null).load(file, problems).orElseThrow().outputs();
  }

  private static long quota(Outputs outputs, String name) {
    return ((Quota) outputs.live().get(name).destination()).bytes();
  }

  @Test
  void theBudgetIsSharedOnlyByOutputsThatBufferInMemory() throws Exception {
    Outputs outputs = outputs();
    outputs.build(
        specs(
            "  a: { type: cloudwatch_logs }\n  b: { type: cloudwatch_logs }\n"
                + "  archive: { type: s3 }\n  more: { type: s3 }\n"),
        new Problems());
    assertThat(quota(outputs, "a")).isEqualTo(BUDGET / 2);
    assertThat(quota(outputs, "b")).isEqualTo(BUDGET / 2);
    assertThat(quota(outputs, "archive")).isZero();
  }

  @Test
  void afterAReloadThatAddsAnOutputTheSharesStillAddUpToTheBudget() throws Exception {
    Outputs outputs = outputs();
    outputs.build(
        specs("  a: { type: cloudwatch_logs }\n  b: { type: cloudwatch_logs }\n"), new Problems());
    Outputs.Plan plan =
        outputs.plan(
            specs(
                "  a: { type: cloudwatch_logs }\n  b: { type: cloudwatch_logs }\n"
                    + "  c: { type: cloudwatch_logs }\n  archive: { type: s3 }\n"),
            new Problems());
    outputs.adopt(plan);
    long sum = 0;
    for (String name : List.of("a", "b", "c", "archive")) {
      sum += quota(outputs, name);
    }
    assertThat(sum).isLessThanOrEqualTo(BUDGET);
    assertThat(quota(outputs, "a"))
        .as("a kept output shrinks to the new share")
        .isEqualTo(BUDGET / 3);
    assertThat(quota(outputs, "c")).isEqualTo(BUDGET / 3);
  }
}
