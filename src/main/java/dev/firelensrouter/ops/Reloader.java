package dev.firelensrouter.ops;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problem;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.route.RouteTable;
import dev.firelensrouter.route.Router;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /reload} and SIGHUP: reads the config again; if it is valid, swaps the route table in
 * at a ring boundary, keeps the outputs whose options did not change (with their buffers), and
 * drains the replaced ones. A bad config is refused with its problems and the old one keeps
 * running. Changes to {@code service} and {@code inputs} need a restart and are reported so.
 */
final class Reloader {
  private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);
  private static final Duration RETIRE_GRACE = Duration.ofSeconds(30);

  private final RouterRuntime.Options options;
  private final Outputs outputs;
  private final Router router;
  private volatile RouterConfig current;

  Reloader(RouterRuntime.Options options, RouterConfig initial, Outputs outputs, Router router) {
    this.options = options;
    this.current = initial;
    this.outputs = outputs;
    this.router = router;
  }

  RouterConfig current() {
    return current;
  }

  synchronized AdminEndpoints.ReloadResult reload() {
    Problems problems = new Problems();
    Optional<RouterConfig> next =
        new ConfigLoader(options.environment()::get).load(options.configFile(), problems);
    if (next.isEmpty() || problems.hasErrors()) {
      return refused(problems);
    }
    Outputs.Plan plan = outputs.plan(next.get().outputs(), problems);
    Optional<RouteTable> table =
        RouteTable.compile(next.get().routes(), plan.next().keySet(), problems);
    if (problems.hasErrors() || table.isEmpty()) {
      outputs.discard(plan);
      return refused(problems);
    }
    if (!next.get().service().equals(current.service())
        || !next.get().forward().equals(current.forward())) {
      problems.warning(
          next.get().routes().isEmpty()
              ? dev.firelensrouter.config.Location.UNKNOWN
              : next.get().routes().get(0).location(),
          "changes to service or inputs take effect at the next restart");
    }
    plan.created().forEach(l -> l.destination().start());
    // Retire the replaced outputs only once the router no longer sends them anything.
    router
        .install(table.get(), plan.destinations())
        .thenRun(() -> outputs.retire(plan, options.clock().instant().plus(RETIRE_GRACE)));
    outputs.adopt(plan);
    current = next.get();
    LOG.info(
        "config reloaded: {} routes, {} outputs ({} new, {} replaced and draining)",
        next.get().routes().size(),
        plan.next().size(),
        plan.created().size(),
        plan.retired().size());
    return new AdminEndpoints.ReloadResult(true, lines(problems.all()));
  }

  private static AdminEndpoints.ReloadResult refused(Problems problems) {
    List<String> lines = lines(problems.all());
    LOG.error("reload refused; the running config stays:\n  {}", String.join("\n  ", lines));
    return new AdminEndpoints.ReloadResult(false, lines);
  }

  private static List<String> lines(List<Problem> problems) {
    return problems.stream().map(Problem::toString).toList();
  }
}
