package dev.firelensrouter.sink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

/**
 * {@code data_dir/dead-letter/<output>.jsonl}: one JSON object per record that could never be
 * delivered, {@code {"output","reason","tag","time","record"}}, flushed before the record counts as
 * dead-lettered. Thread-safe.
 */
public final class DeadLetterFile implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final String output;
  private final Path path;
  private OutputStream out;

  public DeadLetterFile(Path dataDir, String output) {
    this.output = output;
    this.path = dataDir.resolve("dead-letter").resolve(output + ".jsonl");
  }

  public Path path() {
    return path;
  }

  /** Appends one record; the caller then counts it as dead-lettered with the same reason. */
  public synchronized void write(String tag, Event event, String reason) {
    try {
      open();
      ByteArrayOutputStream line = new ByteArrayOutputStream(256 + event.recordLength());
      try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("output", output);
        g.writeStringField("reason", reason);
        g.writeStringField("tag", tag);
        g.writeNumberField("time", event.seconds() + event.nanos() / 1e9);
        g.writeFieldName("record");
        g.writeRawValue(recordJson(event));
        g.writeEndObject();
      }
      line.write('\n');
      line.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dead letter to " + path, e);
    }
  }

  /**
   * Appends one line of an object that could not be uploaded, as the output had written it: a
   * record's JSON ({@code json}) or one field's text (then {@code record} is {@code {"message":
   * text}}). Such lines no longer know their tag or time: both are null, and {@code object_key}
   * says where the line was going.
   */
  public synchronized void writeObjectLine(
      String objectKey, String reason, byte[] text, boolean json) {
    try {
      open();
      ByteArrayOutputStream line = new ByteArrayOutputStream(128 + text.length);
      try (JsonGenerator g = JSON.createGenerator(line, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("output", output);
        g.writeStringField("reason", reason);
        g.writeNullField("tag");
        g.writeNullField("time");
        if (json) {
          g.writeFieldName("record");
          g.writeRawValue(new String(text, StandardCharsets.UTF_8));
        } else {
          g.writeObjectFieldStart("record");
          g.writeStringField("message", new String(text, StandardCharsets.UTF_8));
          g.writeEndObject();
        }
        g.writeStringField("object_key", objectKey);
        g.writeEndObject();
      }
      line.write('\n');
      line.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dead letter to " + path, e);
    }
  }

  private void open() throws IOException {
    if (out == null) {
      Files.createDirectories(path.getParent());
      out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  /** The record as JSON, or (when its bytes are not valid msgpack) the raw bytes in base64. */
  private static String recordJson(Event event) {
    try {
      return new String(RecordJson.toJson(event), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      byte[] raw = event.recordBytes();
      return "{\"msgpack_base64\":\"" + Base64.getEncoder().encodeToString(raw) + "\"}";
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
