package dev.firelensrouter.sink.local;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How a local output writes one event as a JSON line: the record alone ({@code record}, the
 * default: what the client sent, unchanged) or wrapped with its tag and time ({@code envelope}).
 */
enum LineFormat {
  RECORD,
  ENVELOPE;

  static LineFormat of(String name) {
    return name.equals("envelope") ? ENVELOPE : RECORD;
  }

  void write(String tag, Event event, OutputStream out) throws IOException {
    if (this == ENVELOPE) {
      out.write("{\"tag\":".getBytes(StandardCharsets.UTF_8));
      writeJsonString(tag, out);
      out.write(
          (",\"time\":"
                  + event.seconds()
                  + "."
                  + String.format("%09d", event.nanos())
                  + ",\"record\":")
              .getBytes(StandardCharsets.UTF_8));
      RecordJson.write(event.recordBuffer(), event.recordOffset(), event.recordLength(), out);
      out.write('}');
    } else {
      RecordJson.write(event.recordBuffer(), event.recordOffset(), event.recordLength(), out);
    }
    out.write('\n');
  }

  private static void writeJsonString(String s, OutputStream out) throws IOException {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    out.write(b.append('"').toString().getBytes(StandardCharsets.UTF_8));
  }
}
