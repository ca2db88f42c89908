package dev.firelensrouter.route;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Joins Docker's partial messages: a line over 16 KB arrives as parts with {@code partial_message:
 * "true"}, {@code partial_id}, {@code partial_ordinal} and {@code partial_last}. Parts are joined
 * per (tag, partial_id) in ordinal order into the first part's record, without the partial fields.
 * A group that waits longer than {@code timeout} or grows past {@code maxBytes} goes on as it is,
 * counted as incomplete. Router thread only.
 */
final class PartialReassembler implements Joiner {
  static final RecordFields.Path PARTIAL = RecordFields.Path.of("partial_message");
  static final RecordFields.Path ID = RecordFields.Path.of("partial_id");
  static final RecordFields.Path ORDINAL = RecordFields.Path.of("partial_ordinal");
  static final RecordFields.Path LAST = RecordFields.Path.of("partial_last");
  static final RecordFields.Path LOG = RecordFields.Path.of("log");
  private static final List<String> PARTIAL_FIELDS =
      List.of("partial_message", "partial_id", "partial_ordinal", "partial_last");

  private final long maxBytes;
  private final long timeoutMillis;
  private final Clock clock;
  private final TransformCounters counters;
  private final Map<String, Group> groups = new HashMap<>();
  // read by the admin thread for /routes; written by the router thread only
  private volatile int held;

  private static final class Group {
    final String tag;
    final long started;
    final List<Event> parts = new ArrayList<>();
    final List<Long> ordinals = new ArrayList<>();
    final List<ChunkTicket> tickets = new ArrayList<>();
    long bytes;

    Group(String tag, long started) {
      this.tag = tag;
      this.started = started;
    }
  }

  PartialReassembler(long maxBytes, long timeoutMillis, Clock clock, TransformCounters counters) {
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
    this.clock = clock;
    this.counters = counters;
  }

  @Override
  public void offer(String tag, Event event, ChunkTicket ticket, boolean owned, Output out) {
    String id = RecordFields.text(event, ID);
    if (id == null || !"true".equals(RecordFields.text(event, PARTIAL))) {
      out.emit(tag, event, ticket, owned);
      return;
    }
    String key = tag + '\u0000' + id;
    Group g = groups.computeIfAbsent(key, k -> new Group(tag, clock.millis()));
    if (!owned) {
      ticket.retain();
    }
    String log = RecordFields.text(event, LOG);
    g.parts.add(event);
    g.ordinals.add(ordinal(RecordFields.text(event, ORDINAL), g.parts.size()));
    g.tickets.add(ticket);
    held++;
    g.bytes += log == null ? 0 : log.length();
    boolean last = "true".equals(RecordFields.text(event, LAST));
    if (last || g.bytes >= maxBytes) {
      groups.remove(key);
      if (!last) {
        counters.partialIncomplete.increment();
      }
      emit(g, out);
    }
  }

  @Override
  public void flush(long nowMillis, boolean all, Output out) {
    Iterator<Group> it = groups.values().iterator();
    List<Group> due = new ArrayList<>();
    while (it.hasNext()) {
      Group g = it.next();
      if (all || nowMillis - g.started >= timeoutMillis) {
        it.remove();
        due.add(g);
      }
    }
    for (Group g : due) {
      counters.partialIncomplete.increment();
      emit(g, out);
    }
  }

  private void emit(Group g, Output out) {
    held -= g.parts.size();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < g.parts.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong(g.ordinals::get));
    StringBuilder log = new StringBuilder((int) Math.min(g.bytes, Integer.MAX_VALUE - 16));
    for (int i : order) {
      String part = RecordFields.text(g.parts.get(i), LOG);
      if (part != null) {
        log.append(part);
      }
    }
    Event first = g.parts.get(order.get(0));
    RecordEdit edit = new RecordEdit(first);
    if (edit.isMap()) {
      Map<String, Object> tree = edit.tree();
      PARTIAL_FIELDS.forEach(tree::remove);
      tree.put("log", log.toString());
      edit.markChanged();
    }
    counters.partialJoined.increment();
    out.emit(g.tag, edit.result(), Joiner.joinedTicket(g.tickets), true);
  }

  private static long ordinal(String text, long fallback) {
    double v = Literal.parseNumber(text);
    return Double.isNaN(v) ? fallback : (long) v;
  }

  @Override
  public int held() {
    return held;
  }

  @Override
  public String describe() {
    return "reassemble_partial (max " + maxBytes + " bytes, timeout " + timeoutMillis + "ms)";
  }
}
