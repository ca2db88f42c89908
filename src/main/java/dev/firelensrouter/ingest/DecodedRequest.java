package dev.firelensrouter.ingest;

import dev.firelensrouter.event.Event;
import java.util.List;

/** What one frame turned out to be. */
sealed interface DecodedRequest {

  /** The {@code {"ack": chunk}} reply bytes, or {@code null} when the client asked for no ack. */
  byte[] ack();

  /** A request with its events (possibly none, when every event was skipped). */
  record Events(
      ForwardMode mode,
      String tag,
      List<Event> events,
      byte[] ack,
      int invalidEvents,
      int groupMarkers)
      implements DecodedRequest {}

  /** {@code nil}: a heartbeat; nothing to do. */
  record Heartbeat() implements DecodedRequest {
    @Override
    public byte[] ack() {
      return null;
    }
  }

  /** Fluent Bit metrics or traces ({@code fluent_signal} 1 or 2): acked, dropped and counted. */
  record Signal(ForwardMode mode, int signal, byte[] ack) implements DecodedRequest {}

  /**
   * The request cannot be accepted. {@code close} says whether the connection must end (broken
   * structure) or may go on (a top-level value that is not a request, which peers ignore).
   */
  record Invalid(String reason, String detail, boolean close) implements DecodedRequest {
    @Override
    public byte[] ack() {
      return null;
    }
  }
}
