package dev.firelensrouter.route;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.util.List;

/**
 * A stateful step that holds events and lets them go later as one joined event: Docker partial
 * messages and multiline groups. A held event keeps its chunk's ticket (retained), so the chunk is
 * not acknowledged before the joined event reached its destinations.
 */
sealed interface Joiner permits PartialReassembler, MultilineJoiner {
  /** Where joined (or passed-through) events go on. */
  interface Output {
    /**
     * @param owned the caller holds one reference on {@code ticket} that the receiver must release
     *     when done
     */
    void emit(String tag, Event event, ChunkTicket ticket, boolean owned);
  }

  /** Takes one event; emits zero or more events now. */
  void offer(String tag, Event event, ChunkTicket ticket, boolean owned, Output out);

  /** Emits groups whose time is up ({@code all}: every group, at drain or reload). */
  void flush(long nowMillis, boolean all, Output out);

  /** Events held now. */
  int held();

  String describe();

  /** One ticket that completes when it is released and then releases each part's ticket. */
  static ChunkTicket joinedTicket(List<ChunkTicket> parts) {
    List<ChunkTicket> copy = List.copyOf(parts);
    return new ChunkTicket(
        () -> {
          for (ChunkTicket t : copy) {
            t.release();
          }
        });
  }
}
