package dev.firelensrouter.route;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code multiline: {start, field, timeout, max_lines}}: a record whose field matches {@code start}
 * begins a group; the records after it that do not match are continuation lines (a stack trace) and
 * are joined into the group's field with newlines. Groups are kept per tag and stream (the record's
 * {@code source}) and go on at the next start, at {@code max_lines}, or after {@code timeout}
 * without a new line. Router thread only.
 */
final class MultilineJoiner implements Joiner {
  private static final RecordFields.Path SOURCE = RecordFields.Path.of("source");

  private final Pattern start;
  private final RecordFields.Path field;
  private final long timeoutMillis;
  private final int maxLines;
  private final Clock clock;
  private final TransformCounters counters;
  private final Map<String, Group> groups = new HashMap<>();
  // read by the admin thread for /routes; written by the router thread only
  private volatile int held;

  private static final class Group {
    final String tag;
    final Event first;
    final StringBuilder text;
    final List<ChunkTicket> tickets = new ArrayList<>();
    int lines = 1;
    long last;

    Group(String tag, Event first, String text, long now) {
      this.tag = tag;
      this.first = first;
      this.text = new StringBuilder(text);
      this.last = now;
    }
  }

  MultilineJoiner(
      Pattern start,
      RecordFields.Path field,
      long timeoutMillis,
      int maxLines,
      Clock clock,
      TransformCounters counters) {
    this.start = start;
    this.field = field;
    this.timeoutMillis = timeoutMillis;
    this.maxLines = maxLines;
    this.clock = clock;
    this.counters = counters;
  }

  @Override
  public void offer(String tag, Event event, ChunkTicket ticket, boolean owned, Output out) {
    String text = RecordFields.text(event, field);
    if (text == null) {
      out.emit(tag, event, ticket, owned);
      return;
    }
    String source = RecordFields.text(event, SOURCE);
    String key = source == null ? tag : tag + '\u0000' + source;
    long now = clock.millis();
    if (!owned) {
      ticket.retain();
    }
    Group g = groups.get(key);
    if (g != null && !start.matcher(text).find()) {
      g.text.append('\n').append(text);
      g.tickets.add(ticket);
      held++;
      g.lines++;
      g.last = now;
      if (g.lines >= maxLines) {
        groups.remove(key);
        emit(g, out);
      }
      return;
    }
    if (g != null) {
      groups.remove(key);
      emit(g, out);
    }
    Group fresh = new Group(tag, event, text, now);
    fresh.tickets.add(ticket);
    held++;
    groups.put(key, fresh);
  }

  @Override
  public void flush(long nowMillis, boolean all, Output out) {
    List<Group> due = new ArrayList<>();
    Iterator<Group> it = groups.values().iterator();
    while (it.hasNext()) {
      Group g = it.next();
      if (all || nowMillis - g.last >= timeoutMillis) {
        it.remove();
        due.add(g);
      }
    }
    for (Group g : due) {
      emit(g, out);
    }
  }

  private void emit(Group g, Output out) {
    held -= g.tickets.size();
    Event event = g.first;
    if (g.lines > 1) {
      RecordEdit edit = new RecordEdit(event);
      if (edit.isMap()) {
        RecordEdit.put(edit.tree(), field.names(), g.text.toString());
        edit.markChanged();
      }
      event = edit.result();
      counters.multilineJoined.increment();
    }
    out.emit(g.tag, event, Joiner.joinedTicket(g.tickets), true);
  }

  @Override
  public int held() {
    return held;
  }

  @Override
  public String describe() {
    return "multiline: start /" + start + "/ on " + field + ", max " + maxLines + " lines";
  }
}
