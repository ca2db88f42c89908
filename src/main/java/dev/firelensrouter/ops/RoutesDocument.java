package dev.firelensrouter.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.firelensrouter.config.RouteSpec;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.route.RouteStats;
import dev.firelensrouter.route.Router;
import dev.firelensrouter.sink.DestinationState;
import dev.firelensrouter.sink.OutputMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /routes}: the routes and outputs in use, with their counters and health. */
final class RoutesDocument {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RoutesDocument() {}

  static String render(
      RouterConfig config,
      Router router,
      Outputs outputs,
      java.util.function.Function<String, OutputMetrics> metrics) {
    Map<String, Object> doc = new LinkedHashMap<>();
    List<Map<String, Object>> routes = new ArrayList<>();
    Map<String, RouteStats> stats = new LinkedHashMap<>();
    router.routeStats().forEach(r -> stats.put(r.name(), r));
    for (RouteSpec r : config.routes()) {
      Map<String, Object> route = new LinkedHashMap<>();
      route.put("name", r.name());
      route.put("to", r.to());
      route.put("continue", r.continueMatching());
      route.put("catch_all", r.match().isEmpty());
      RouteStats c = stats.get(r.name());
      if (c != null) {
        route.put("matched", c.matched());
        route.put("sent", c.sent());
        route.put("dropped", c.dropped());
        route.put("held", c.held());
      }
      routes.add(route);
    }
    doc.put("routes", routes);
    doc.put("router", router.routerStats());
    List<Map<String, Object>> outs = new ArrayList<>();
    outputs
        .live()
        .forEach(
            (name, live) -> {
              Map<String, Object> o = new LinkedHashMap<>();
              OutputMetrics m = metrics.apply(name);
              DestinationState state = live.destination().state();
              o.put("name", name);
              o.put("type", live.type());
              o.put("state", state.health().name().toLowerCase(java.util.Locale.ROOT));
              if (!state.lastError().isEmpty()) {
                o.put("last_error", state.lastError());
              }
              OutputMetrics.Snapshot ledger = m.snapshot();
              o.put("received", ledger.received());
              o.put("delivered", ledger.delivered());
              o.put("dead_lettered", ledger.deadLetteredTotal());
              o.put("dropped", ledger.droppedTotal());
              o.put("buffered", ledger.buffered());
              o.put("in_flight", ledger.inFlight());
              o.putAll(live.destination().status());
              outs.add(o);
            });
    outs.sort(java.util.Comparator.comparing(o -> (String) o.get("name")));
    doc.put("outputs", outs);
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
