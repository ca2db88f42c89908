package dev.firelensrouter.route;

import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouteSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routes of a config, compiled once. For each tag it remembers which routes can match it (a
 * chunk carries one tag), and for tags whose candidate routes look at the tag alone, which routes
 * take every record. The tag cache and the transforms' state are used from the router thread only.
 */
public final class RouteTable {
  static final int MAX_CACHED_TAGS = 10_000;

  private final List<Route> routes;
  private final TransformCounters counters;
  private final Map<String, TagPlan> plans = new HashMap<>();

  /**
   * The routes a tag can reach.
   *
   * @param candidates routes whose tag patterns match, in order
   * @param fixed when every candidate is tag-only: the routes every record takes; else null
   */
  record TagPlan(Route[] candidates, Route[] fixed) {}

  private RouteTable(List<Route> routes, TransformCounters counters) {
    this.routes = List.copyOf(routes);
    this.counters = counters;
  }

  /**
   * Compiles {@code routes}; every problem is added with its file:line:col. Output names are
   * checked by the loader; here they only guard against typos when called alone.
   *
   * @return the table, or empty when {@code problems} holds errors
   */
  public static Optional<RouteTable> compile(
      List<RouteSpec> routes, Set<String> outputNames, Problems problems) {
    return compile(routes, outputNames, problems, Clock.systemUTC());
  }

  /** {@link #compile(List, Set, Problems)} with the clock rate limits and timeouts read. */
  public static Optional<RouteTable> compile(
      List<RouteSpec> routes, Set<String> outputNames, Problems problems, Clock clock) {
    TransformCounters counters = new TransformCounters();
    MatchParser matches = new MatchParser(problems);
    TransformParser transforms = new TransformParser(problems, clock, counters);
    List<Route> compiled = new ArrayList<>();
    for (RouteSpec spec : routes) {
      RouteMatch match = spec.match().map(matches::parse).orElse(RouteMatch.EVERYTHING);
      TransformChain chain = new TransformChain(transforms.parse(spec.transform()));
      for (String out : spec.to()) {
        String msg =
            "route '" + spec.name() + "' sends to output '" + out + "', which does not exist";
        // the loader reports this too; say it once
        if (!outputNames.contains(out)
            && problems.all().stream().noneMatch(p -> p.message().startsWith(msg))) {
          problems.error(spec.node().locationOf("to"), msg);
        }
      }
      compiled.add(
          new Route(
              spec.name(),
              match,
              chain,
              List.copyOf(spec.to()),
              spec.continueMatching(),
              spec.location(),
              new Route.Counters()));
    }
    if (problems.hasErrors()) {
      return Optional.empty();
    }
    return Optional.of(new RouteTable(compiled, counters));
  }

  List<Route> routes() {
    return routes;
  }

  TransformCounters counters() {
    return counters;
  }

  /** The plan for a tag, from the cache. */
  TagPlan plan(String tag) {
    TagPlan plan = plans.get(tag);
    if (plan == null) {
      if (plans.size() >= MAX_CACHED_TAGS) {
        plans.clear();
      }
      plan = computePlan(tag);
      plans.put(tag, plan);
    }
    return plan;
  }

  private TagPlan computePlan(String tag) {
    List<Route> candidates = new ArrayList<>();
    boolean tagOnly = true;
    for (Route r : routes) {
      if (r.match().matchesTag(tag)) {
        candidates.add(r);
        tagOnly &= r.match().tagOnly();
      }
    }
    Route[] fixed = null;
    if (tagOnly) {
      List<Route> taken = new ArrayList<>();
      for (Route r : candidates) {
        taken.add(r);
        if (!r.continueMatching()) {
          break;
        }
      }
      fixed = taken.toArray(new Route[0]);
    }
    return new TagPlan(candidates.toArray(new Route[0]), fixed);
  }

  /** Per-route counters. */
  public List<RouteStats> stats() {
    List<RouteStats> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(
          new RouteStats(
              r.name(),
              r.to(),
              r.counters().matched.sum(),
              r.counters().dropped.sum(),
              r.counters().sent.sum(),
              r.chain().held()));
    }
    return out;
  }

  /** What transforms did besides dropping, for {@code /routes}. */
  public Map<String, Long> transformStats() {
    return counters.snapshot();
  }
}
