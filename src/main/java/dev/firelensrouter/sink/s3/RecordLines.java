package dev.firelensrouter.sink.s3;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One record as one line of an object: the record as JSON ({@code format: jsonl}) or the text of
 * one field ({@code format: message}; the whole record as JSON when the field is missing). The line
 * is built in a reused buffer first, so a record that cannot be encoded never leaves half a line in
 * a staging file. Not thread-safe: one per destination, used under its lock.
 */
final class RecordLines {
  private final S3Config.Format format;
  private final RecordFields.Path messageKey;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);

  RecordLines(S3Config.Format format, String messageKey) {
    this.format = format;
    this.messageKey = RecordFields.Path.of(messageKey);
  }

  /** Writes the event's line to {@code out}; throws before writing anything if it cannot. */
  void write(Event event, OutputStream out) throws IOException {
    line.reset();
    String text = format == S3Config.Format.MESSAGE ? RecordFields.text(event, messageKey) : null;
    if (text != null) {
      line.write(text.replace('\n', ' ').getBytes(StandardCharsets.UTF_8));
    } else {
      RecordJson.write(event.recordBuffer(), event.recordOffset(), event.recordLength(), line);
    }
    line.write('\n');
    line.writeTo(out);
    if (line.size() > 1 << 20) {
      line.reset();
    }
  }
}
