package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;

/**
 * One entry the engine holds: the destination's form of the event, what it counts for against the
 * batch limit ({@code size}) and against the memory quota ({@code cost}), and its retry state. The
 * event is kept for the dead-letter file and the spool. Its chunk stays retained until the entry is
 * settled or written to the spool; {@code ticket}, {@code segment} and {@code settled} are guarded
 * by the engine's lock.
 */
final class BufferedEntry<E> {
  /** Object headers and references the engine keeps per entry, beyond its bytes. */
  static final long OVERHEAD = 96;

  final String tag;
  final Event event;
  final E entry;
  final int size;
  final long cost;
  final long arrivalNanos;

  /** The chunk this entry still answers for; null once released (or read back from the spool). */
  ChunkTicket ticket;

  /** The spool segment that holds this entry too, told when the entry is settled; or null. */
  SpoolSegment segment;

  /** Delivered, dead-lettered or dropped: nothing more to do for it. */
  boolean settled;

  /** Sends that did not go through, for the backoff. */
  int attempts;

  /** Of those, the ones not throttled: they count against {@code max_attempts}. */
  int failures;

  long notBeforeNanos;

  BufferedEntry(String tag, Event event, ChunkTicket ticket, E entry, int size, long arrivalNanos) {
    this.tag = tag;
    this.event = event;
    this.ticket = ticket;
    this.entry = entry;
    this.size = size;
    this.cost = size + (long) event.recordLength() + OVERHEAD;
    this.arrivalNanos = arrivalNanos;
  }

  /**
   * Marks the entry settled and lets its segment know; returns the ticket to release (outside the
   * lock), or null.
   */
  ChunkTicket settle() {
    settled = true;
    if (segment != null) {
      segment.settled();
      segment = null;
    }
    ChunkTicket t = ticket;
    ticket = null;
    return t;
  }
}
