package dev.firelensrouter.sink;

/** How a destination is doing, as shown on {@code /routes} and logged on change. */
public record DestinationState(Health health, String lastError) {
  public enum Health {
    HEALTHY,
    THROTTLED,
    FAILING
  }

  public static final DestinationState HEALTHY = new DestinationState(Health.HEALTHY, "");

  public static DestinationState throttled(String why) {
    return new DestinationState(Health.THROTTLED, why);
  }

  public static DestinationState failing(String why) {
    return new DestinationState(Health.FAILING, why);
  }
}
