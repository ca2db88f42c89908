package dev.firelensrouter.sink;

import dev.firelensrouter.event.Event;

/** Turns a routed event into a destination's entry and the partition it belongs to. */
@FunctionalInterface
public interface EntryConverter<E> {
  /**
   * The entry, or a {@link Converted#refused} one that is dead-lettered at once with its reason.
   */
  Converted<E> convert(String tag, Event event);

  /** An entry for {@code partition}, or a refusal. */
  record Converted<E>(String partition, E entry, String refused) {
    public static <E> Converted<E> of(String partition, E entry) {
      return new Converted<>(partition, entry, null);
    }

    public static <E> Converted<E> refused(String reason) {
      return new Converted<>(null, null, reason);
    }
  }
}
