package dev.firelensrouter.route;

import dev.firelensrouter.config.Location;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** One compiled route: its match, its steps, where it sends, and its counters. */
record Route(
    String name,
    RouteMatch match,
    TransformChain chain,
    List<String> to,
    boolean continueMatching,
    Location location,
    Counters counters) {

  /** Per-route counts for {@code /routes}. */
  static final class Counters {
    final LongAdder matched = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder sent = new LongAdder();
  }
}
