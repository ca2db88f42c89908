package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.time.Instant;

/**
 * Where routed events go. Every destination owes each event it accepts exactly one outcome, counted
 * in its {@link OutputMetrics}: delivered, dead-lettered or dropped with a reason; and it releases
 * the event's {@link ChunkTicket} once it has taken responsibility for it.
 */
public interface Destination {
  /** The output's name from the config. */
  String name();

  /** Starts background work (senders, timers). Called once before the first {@link #accept}. */
  default void start() {}

  /**
   * Takes one event. Called only on the router thread. The destination must {@link
   * ChunkTicket#retain() retain} the ticket before returning if it keeps the event, and release it
   * when it has taken responsibility. May block while its buffer is full and its {@code when_full}
   * is {@code block}: that is how backpressure reaches the clients.
   */
  void accept(String tag, Event event, ChunkTicket ticket);

  /** The ring has nothing more ready: close batches whose linger has passed. Router thread. */
  default void onEndOfBatch() {}

  /**
   * Stops taking events, sends everything buffered regardless of linger, and waits for what is in
   * flight until {@code deadline}. Returns what is left.
   */
  DrainReport drain(Instant deadline);

  /** Health for {@code /routes} and the logs. */
  default DestinationState state() {
    return DestinationState.HEALTHY;
  }

  /** More of the output's state for its entry in {@code /routes} (e.g. its disk spool). */
  default java.util.Map<String, Object> status() {
    return java.util.Map.of();
  }
}
