package dev.firelensrouter.sink;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;

/**
 * One entry the engine holds: the destination's form of the event, what it counts for against the
 * batch limit ({@code size}) and against the memory quota ({@code cost}), and its retry state. The
 * event is kept for the dead-letter file; its chunk stays retained until the entry is settled.
 */
final class BufferedEntry<E> {
  /** Object headers and references the engine keeps per entry, beyond its bytes. */
  static final long OVERHEAD = 96;

  final String tag;
  final Event event;
  final ChunkTicket ticket;
  final E entry;
  final int size;
  final long cost;
  final long arrivalNanos;

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
}
