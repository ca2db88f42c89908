package dev.firelensrouter.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Formats strftime directives of an event's time in one zone. The fields of the last second seen
 * are kept (an immutable snapshot), since the events of a chunk mostly share their second.
 */
final class TimeFields {
  static final String DIRECTIVES = "YmdHMSyjbesz";
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private record Snapshot(long seconds, LocalDateTime local, ZoneOffset offset) {}

  private final ZoneId zone;
  private volatile Snapshot last;

  TimeFields(ZoneId zone) {
    this.zone = zone;
  }

  void append(char directive, Event event, StringBuilder out) {
    long seconds = event.seconds();
    Snapshot s = last;
    if (s == null || s.seconds != seconds) {
      ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(seconds));
      s = new Snapshot(seconds, LocalDateTime.ofEpochSecond(seconds, 0, offset), offset);
      last = s;
    }
    LocalDateTime t = s.local;
    switch (directive) {
      case 'Y' -> pad(out, t.getYear(), 4, '0');
      case 'm' -> pad(out, t.getMonthValue(), 2, '0');
      case 'd' -> pad(out, t.getDayOfMonth(), 2, '0');
      case 'e' -> pad(out, t.getDayOfMonth(), 2, ' ');
      case 'H' -> pad(out, t.getHour(), 2, '0');
      case 'M' -> pad(out, t.getMinute(), 2, '0');
      case 'S' -> pad(out, t.getSecond(), 2, '0');
      case 'y' -> pad(out, t.getYear() % 100, 2, '0');
      case 'j' -> pad(out, t.getDayOfYear(), 3, '0');
      case 'b' -> out.append(MONTHS[t.getMonthValue() - 1]);
      case 's' -> out.append(seconds);
      case 'z' -> {
        int total = s.offset.getTotalSeconds();
        out.append(total < 0 ? '-' : '+');
        total = Math.abs(total);
        pad(out, total / 3600, 2, '0');
        pad(out, (total / 60) % 60, 2, '0');
      }
      default -> out.append('%').append(directive);
    }
  }

  private static void pad(StringBuilder out, int v, int width, char fill) {
    int digits = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : Integer.toString(v).length();
    for (int i = digits; i < width; i++) {
      out.append(fill);
    }
    out.append(v);
  }
}
