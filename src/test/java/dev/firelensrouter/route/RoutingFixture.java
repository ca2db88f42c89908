package dev.firelensrouter.route;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.event.RecordJson;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DrainReport;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds route tables from YAML snippets and records what destinations receive. */
final class RoutingFixture {
  static final String OUTPUTS =
      "outputs:\n  a: {type: stdout}\n  b: {type: stdout}\n  c: {type: stdout}\n";

  final MutableClock clock = new MutableClock();
  final PrometheusRegistry registry = new PrometheusRegistry();
  final DeliveryMetrics metrics = new DeliveryMetrics(registry);
  final Map<String, Recorder> outputs = new LinkedHashMap<>();

  RoutingFixture() {
    for (String name : List.of("a", "b", "c")) {
      outputs.put(name, new Recorder(name));
    }
  }

  static RouterConfig config(String routesYaml, Problems problems) {
    return new ConfigLoader(n -> null)
        .parse("test.yaml", OUTPUTS + "routes:\n" + routesYaml, problems)
        .orElseThrow();
  }

  RouteTable table(String routesYaml) {
    Problems problems = new Problems();
    RouterConfig cfg = config(routesYaml, problems);
    RouteTable t =
        RouteTable.compile(cfg.routes(), Set.of("a", "b", "c"), problems, clock)
            .orElseThrow(() -> new AssertionError(problems.all().toString()));
    return t;
  }

  static List<String> problems(String routesYaml) {
    Problems problems = new Problems();
    RouterConfig cfg = config(routesYaml, problems);
    RouteTable.compile(cfg.routes(), Set.of("a", "b", "c"), problems);
    return problems.all().stream().map(Object::toString).toList();
  }

  Router router(String routesYaml) {
    return new Router(table(routesYaml), Map.copyOf(outputs), metrics, clock);
  }

  double dropped(String reason) {
    return metrics.forOutput("none") == null ? 0 : droppedCount(reason);
  }

  private double droppedCount(String reason) {
    var snapshots = registry.scrape();
    for (var s : snapshots) {
      if (s.getMetadata().getName().equals("firelens_router_records_dropped")) {
        for (var dp : s.getDataPoints()) {
          if (dp.getLabels().get("reason").equals(reason)
              && dp.getLabels().get("output").equals("none")) {
            return ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot)
                    dp)
                .getValue();
          }
        }
      }
    }
    return 0;
  }

  static ForwardChunk chunk(String tag, ChunkTicket ticket, Event... events) {
    return new ForwardChunk(tag, List.of(events), ticket);
  }

  static String json(Event e) {
    return new String(RecordJson.toJson(e), StandardCharsets.UTF_8);
  }

  /** A destination that keeps what it gets and holds the ticket until told to release. */
  static final class Recorder implements Destination {
    final String name;
    final List<String> tags = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final List<ChunkTicket> held = new ArrayList<>();
    int endOfBatch;

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void accept(String tag, Event event, ChunkTicket ticket) {
      ticket.retain();
      held.add(ticket);
      tags.add(tag);
      events.add(event);
    }

    @Override
    public void onEndOfBatch() {
      endOfBatch++;
    }

    void releaseAll() {
      held.forEach(ChunkTicket::release);
      held.clear();
    }

    List<String> json() {
      return events.stream().map(RoutingFixture::json).collect(Collectors.toList());
    }

    Set<String> fields(String field) {
      Set<String> out = new HashSet<>();
      for (Event e : events) {
        out.add(dev.firelensrouter.event.RecordFields.text(e, field));
      }
      return out;
    }

    @Override
    public DrainReport drain(Instant deadline) {
      throw new UnsupportedOperationException();
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
