package dev.firelensrouter.route;

import dev.firelensrouter.event.Template;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code rate_limit: {per_second, burst, key}}: a token bucket per rendered key; records beyond it
 * are dropped with reason {@code rate_limited}. Used on the router thread only.
 */
final class RateLimit implements Transform {
  /** Beyond this many keys the buckets start over, so a key per record cannot grow the map. */
  static final int MAX_KEYS = 10_000;

  private final double perSecond;
  private final double burst;
  private final Template key;
  private final Clock clock;
  private final Map<String, double[]> buckets = new HashMap<>();

  RateLimit(double perSecond, double burst, Template key, Clock clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.key = key;
    this.clock = clock;
  }

  @Override
  public String apply(Context ctx, RecordEdit edit) {
    String k = key.isConstant() ? key.text() : key.render(ctx.tag(), edit.result(), ctx.scope());
    long now = clock.millis();
    double[] bucket = buckets.get(k);
    if (bucket == null) {
      if (buckets.size() >= MAX_KEYS) {
        buckets.clear();
      }
      bucket = new double[] {burst, now};
      buckets.put(k, bucket);
    }
    double elapsed = Math.max(0, now - bucket[1]) / 1000.0;
    bucket[0] = Math.min(burst, bucket[0] + elapsed * perSecond);
    bucket[1] = now;
    if (bucket[0] >= 1) {
      bucket[0] -= 1;
      return null;
    }
    return "rate_limited";
  }

  @Override
  public String describe() {
    return "rate_limit: " + perSecond + "/s, burst " + burst + ", key " + key;
  }
}
