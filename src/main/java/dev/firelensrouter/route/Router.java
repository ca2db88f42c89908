package dev.firelensrouter.route;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.event.RecordView;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.pipeline.ChunkConsumer;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.OutputMetrics;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring's consumer: for each event of a chunk, picks the routes, runs their transforms and hands
 * the result to each target destination (which retains the chunk's ticket if it keeps the event);
 * then releases the router's own hold on the ticket. Records no route takes are counted as {@code
 * dropped{output="none",reason="unrouted"}}; transform drops are counted there with their reason
 * too. A new table and destination map {@link #install installed} from any thread take effect at
 * the next chunk boundary.
 */
public final class Router implements ChunkConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private record Installed(
      RouteTable table,
      Map<String, Destination> destinations,
      java.util.concurrent.CompletableFuture<Void> applied) {}

  private final OutputMetrics none;
  private final Clock clock;
  private final TemplateScope scope;
  private final Transform enrich;
  private final AtomicReference<Installed> pending = new AtomicReference<>();
  private final LongAdder notAMap = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<Route, TransformChain.Env> envs = new java.util.IdentityHashMap<>();
  private volatile RouteTable table;
  private volatile Map<String, Destination> destinations;

  /**
   * @param metrics the process's delivery metrics; drops the router decides are counted under
   *     output {@code none}
   * @param scope the ECS task metadata templates read ({@link TemplateScope#EMPTY} outside ECS)
   * @param enrichEcs {@code service.enrich_ecs}: add ecs_cluster, ecs_task_arn and
   *     ecs_task_definition to every record
   */
  public Router(
      RouteTable table,
      Map<String, Destination> destinations,
      DeliveryMetrics metrics,
      Clock clock,
      TemplateScope scope,
      boolean enrichEcs) {
    this.table = table;
    this.destinations = Map.copyOf(destinations);
    this.none = metrics.forOutput("none");
    this.clock = clock;
    this.scope = scope;
    this.enrich = enrichEcs ? new Transform.EnrichEcs() : null;
  }

  public Router(
      RouteTable table,
      Map<String, Destination> destinations,
      DeliveryMetrics metrics,
      Clock clock) {
    this(table, destinations, metrics, clock, TemplateScope.EMPTY, false);
  }

  /**
   * Replaces the route table and destinations; callable from any thread. Takes effect at the next
   * chunk boundary on the router thread; records held by the old table's reassembly and multiline
   * steps are let go to the old destinations first. The future completes once the new table is in
   * use, so that replaced destinations receive nothing more.
   */
  public java.util.concurrent.CompletableFuture<Void> install(
      RouteTable table, Map<String, Destination> destinations) {
    Installed next =
        new Installed(
            table, Map.copyOf(destinations), new java.util.concurrent.CompletableFuture<>());
    Installed replaced = pending.getAndSet(next);
    if (replaced != null) {
      // Never applied: whoever waits on it waits for the newer table instead.
      next.applied().whenComplete((v, e) -> replaced.applied().complete(null));
    }
    return next.applied();
  }

  @Override
  public void onChunk(ForwardChunk chunk) {
    swapIfPending();
    String tag = chunk.tag();
    ChunkTicket ticket = chunk.ticket();
    try {
      RouteTable.TagPlan plan = table.plan(tag);
      for (Event event : chunk.events()) {
        try {
          route(plan, tag, event, ticket);
        } catch (RuntimeException e) {
          failed.increment();
          none.receivedDropped("route_failed", 1);
          LOG.debug("routing a record of tag {} failed", tag, e);
        }
      }
    } finally {
      ticket.release();
    }
  }

  private void route(RouteTable.TagPlan plan, String tag, Event event, ChunkTicket ticket) {
    if (event.recordLength() == 0
        || RecordView.kind(event.recordBuffer(), event.recordOffset(), event.recordOffset() + 1)
            != RecordView.Kind.MAP) {
      notAMap.increment();
    } else if (enrich != null) {
      RecordEdit edit = new RecordEdit(event);
      enrich.apply(new Transform.Context(tag, scope, table.counters()), edit);
      event = edit.result();
    }
    Route[] routes = plan.fixed();
    if (routes != null) {
      if (routes.length == 0) {
        none.receivedDropped("unrouted", 1);
      }
      for (Route r : routes) {
        take(r, tag, event, ticket);
      }
      return;
    }
    boolean taken = false;
    for (Route r : plan.candidates()) {
      if (r.match().tagOnly() || r.match().matchesRecord(event)) {
        taken = true;
        take(r, tag, event, ticket);
        if (!r.continueMatching()) {
          break;
        }
      }
    }
    if (!taken) {
      none.receivedDropped("unrouted", 1);
    }
  }

  private void take(Route r, String tag, Event event, ChunkTicket ticket) {
    r.counters().matched.increment();
    r.chain().run(env(r), tag, event, ticket, false, 0);
  }

  private TransformChain.Env env(Route r) {
    TransformChain.Env env = envs.get(r);
    if (env == null) {
      env = newEnv(r);
      envs.put(r, env);
    }
    return env;
  }

  private TransformChain.Env newEnv(Route r) {
    Map<String, Destination> targets = destinations;
    return new TransformChain.Env(
        scope,
        table.counters(),
        new TransformChain.Sink() {
          @Override
          public void deliver(String tag, Event event, ChunkTicket ticket) {
            r.counters().sent.increment();
            List<String> to = r.to();
            for (int i = 0; i < to.size(); i++) {
              Destination d = targets.get(to.get(i));
              if (d == null) {
                none.receivedDropped("no_destination", 1);
              } else {
                d.accept(tag, event, ticket);
              }
            }
          }

          @Override
          public void dropped(String reason) {
            r.counters().dropped.increment();
            none.receivedDropped(reason, 1);
          }
        });
  }

  @Override
  public void onEndOfBatch() {
    swapIfPending();
    flushHeld(false);
    for (Destination d : destinations.values()) {
      d.onEndOfBatch();
    }
  }

  @Override
  public void onIdle() {
    onEndOfBatch();
  }

  /**
   * Lets every record held by reassembly or multiline go on now (at shutdown, before the
   * destinations drain). Router thread, or after the ring has stopped.
   */
  public void flushHeld() {
    flushHeld(true);
    for (Destination d : destinations.values()) {
      d.onEndOfBatch();
    }
  }

  private void flushHeld(boolean all) {
    long now = clock.millis();
    for (Route r : table.routes()) {
      try {
        r.chain().flush(env(r), now, all);
      } catch (RuntimeException e) {
        failed.increment();
        LOG.warn("letting held records of route {} go failed", r.name(), e);
      }
    }
  }

  private void swapIfPending() {
    Installed next = pending.getAndSet(null);
    if (next == null) {
      return;
    }
    flushHeld(true);
    for (Destination d : destinations.values()) {
      d.onEndOfBatch();
    }
    table = next.table();
    destinations = next.destinations();
    envs.clear();
    LOG.info("route table replaced: {} routes", table.routes().size());
    next.applied().complete(null);
  }

  /** Per-route counters of the table in use, for {@code /routes}. */
  public List<RouteStats> routeStats() {
    return table.stats();
  }

  /** Counters of the router itself and of the transforms. */
  public Map<String, Long> routerStats() {
    Map<String, Long> m = new java.util.LinkedHashMap<>(table.transformStats());
    m.put("record_not_a_map", notAMap.sum());
    m.put("route_failed", failed.sum());
    return m;
  }
}
