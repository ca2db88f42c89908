package dev.firelensrouter.route;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event on its way through a route's transforms, copy-on-write: the record is decoded only when
 * a transform changes it, and encoded once at the end. A record no transform touches leaves as the
 * same {@link Event}.
 */
final class RecordEdit {
  private Event event;
  private Map<String, Object> tree;
  private boolean changed;
  private boolean notAMap;

  RecordEdit(Event event) {
    this.event = event;
  }

  /** The event as read (before edits that are not yet encoded). */
  Event original() {
    return event;
  }

  /** The decoded record to edit, or {@code null} when the record is not a map. */
  Map<String, Object> tree() {
    if (tree == null && !notAMap) {
      tree =
          RecordTree.decodeMap(
              event.recordBuffer(),
              event.recordOffset(),
              event.recordOffset() + event.recordLength());
      notAMap = tree == null;
    }
    return tree;
  }

  boolean isMap() {
    return tree() != null;
  }

  void markChanged() {
    changed = true;
  }

  /** The text of a field: from the edited tree if there is one, else from the bytes. */
  String text(RecordFields.Path path) {
    if (tree == null) {
      return RecordFields.text(event, path);
    }
    Object v = get(tree, path.names());
    return RecordTree.text(v);
  }

  /** The current event: the original if nothing changed, else a re-encoded copy. */
  Event result() {
    if (changed) {
      event = event.withRecord(RecordTree.encode(tree));
      changed = false;
      tree = null;
    }
    return event;
  }

  static Object get(Map<String, Object> m, List<String> path) {
    Object cur = m;
    for (String name : path) {
      if (!(cur instanceof Map<?, ?> map)) {
        return null;
      }
      cur = map.get(name);
    }
    return cur;
  }

  /** Sets a value, creating intermediate maps (replacing non-map values on the way). */
  @SuppressWarnings("unchecked")
  static void put(Map<String, Object> m, List<String> path, Object value) {
    Map<String, Object> cur = m;
    for (int i = 0; i < path.size() - 1; i++) {
      Object next = cur.get(path.get(i));
      if (!(next instanceof Map<?, ?>)) {
        next = new LinkedHashMap<String, Object>();
        cur.put(path.get(i), next);
      }
      cur = (Map<String, Object>) next;
    }
    cur.put(path.get(path.size() - 1), value);
  }

  /** Removes a value; returns it, or {@code null} when it was not there. */
  static Object remove(Map<String, Object> m, List<String> path) {
    Object parent = path.size() == 1 ? m : get(m, path.subList(0, path.size() - 1));
    if (parent instanceof Map<?, ?> p) {
      return p.remove(path.get(path.size() - 1));
    }
    return null;
  }
}
