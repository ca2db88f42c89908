package dev.firelensrouter.bench;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.route.RouteTable;
import dev.firelensrouter.route.Router;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DrainReport;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Routing throughput on one thread: 1 KB FireLens records through 20 routes, with field conditions
 * (two per route, one route with parse_json), with tag globs only, or with conditions and
 * parse_json on every route (the cost of decoding, merging and encoding every record).
 *
 * <p>Run: {@code mvn -Pbench verify -DskipTests -Djmh.args="RouteBenchmark -f 1 -wi 2 -i 3"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RouteBenchmark {
  static final int ROUTES = 20;
  static final int CHUNK = 64;

  @Param({"conditions", "tag_only", "parse_json_everywhere"})
  public String rules;

  private Router router;
  private final List<String> tags = new ArrayList<>();
  private final List<List<Event>> chunks = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    StringBuilder yaml = new StringBuilder("outputs:\n  sink: { type: \"null\" }\nroutes:\n");
    for (int i = 0; i < ROUTES; i++) {
      yaml.append("  - name: r").append(i).append('\n');
      yaml.append("    match:\n      tag: \"svc").append(i).append("-firelens-*\"\n");
      if (!rules.equals("tag_only")) {
        yaml.append("      all:\n");
        yaml.append("        - { field: source, equals: stdout }\n");
        yaml.append("        - { field: level, not_equals: debug }\n");
        if (i == ROUTES / 2 || rules.equals("parse_json_everywhere")) {
          yaml.append("    transform:\n      - parse_json: log\n");
        }
      }
      yaml.append("    to: [sink]\n");
    }
    Problems problems = new Problems();
    RouterConfig cfg =
        new ConfigLoader(n -> null).parse("bench.yaml", yaml.toString(), problems).orElseThrow();
    RouteTable table =
        RouteTable.compile(cfg.routes(), Set.of("sink"), problems)
            .orElseThrow(() -> new IllegalStateException(problems.all().toString()));
    router =
        new Router(
            table,
            Map.of("sink", new CountingSink()),
            new DeliveryMetrics(new PrometheusRegistry()),
            Clock.systemUTC());
    for (int i = 0; i < ROUTES; i++) {
      tags.add("svc" + i + "-firelens-0123456789abcdef0123456789abcdef");
      List<Event> events = new ArrayList<>();
      for (int j = 0; j < CHUNK; j++) {
        events.add(new Event(Instant.now().getEpochSecond(), j, record(i, j)));
      }
      chunks.add(events);
    }
  }

  /** About 1 KB: the four FireLens fields, a level, and a JSON access-log line. */
  static byte[] record(int service, int n) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(5);
      p.packString("container_id");
      p.packString("5b3e4f0f6c9d1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b");
      p.packString("container_name");
      p.packString("/ecs-svc" + service + "-1-app-e0c3a1b2c3d4e5f6a701");
      p.packString("source");
      p.packString(n % 4 == 0 ? "stderr" : "stdout");
      p.packString("level");
      p.packString(n % 8 == 1 ? "debug" : "info");
      p.packString("log");
      StringBuilder log = new StringBuilder("{\"remote\":\"10.0.").append(n).append(".7\",");
      log.append("\"method\":\"GET\",\"status\":200,\"bytes\":5120,\"path\":\"/api/v1/items/");
      while (log.length() < 860) {
        log.append("abcdefghij");
      }
      log.append("\",\"agent\":\"Mozilla/5.0\"}");
      p.packString(log.toString());
      return p.toByteArray();
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHUNK)
  public void routeOneChunk(Blackhole bh) {
    int i = next;
    next = (next + 1) % ROUTES;
    router.onChunk(new ForwardChunk(tags.get(i), chunks.get(i), new ChunkTicket(() -> {})));
    bh.consume(i);
  }

  /** Discards, like {@code type: null}, keeping the last event alive for the JIT. */
  static final class CountingSink implements Destination {
    long count;

    @Override
    public String name() {
      return "sink";
    }

    @Override
    public void accept(String tag, Event event, ChunkTicket ticket) {
      count += event.recordLength();
    }

    @Override
    public DrainReport drain(Instant deadline) {
      return DrainReport.clean("sink", count);
    }
  }
}
