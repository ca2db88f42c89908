package dev.firelensrouter.sink.cloudwatch;

import java.util.List;

/**
 * The retention periods CloudWatch Logs accepts in {@code PutRetentionPolicy}: any other number is
 * refused with {@code InvalidParameterException}, so {@code retention_days} is checked at load.
 */
public final class LogRetention {
  public static final List<Integer> ALLOWED_DAYS =
      List.of(
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);

  private LogRetention() {}

  public static boolean allowed(long days) {
    return days >= 1 && days <= 3653 && ALLOWED_DAYS.contains((int) days);
  }

  /**
   * The allowed value closest to {@code days} (the larger on a tie: keep logs rather than lose).
   */
  public static int nearest(long days) {
    int best = ALLOWED_DAYS.get(0);
    for (int d : ALLOWED_DAYS) {
      if (Math.abs(d - days) <= Math.abs(best - days)) {
        best = d;
      }
    }
    return best;
  }
}
