package dev.firelensrouter.sink.firehose;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.NameRules;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordJson;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.sink.EntryConverter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A routed event as Firehose data: its JSON (or one field's text), newline-ended by default. Over
 * the 1,000 KiB record limit it is dead-lettered ({@code record_too_large}), or with {@code
 * oversize: split} cut into consecutive records at UTF-8 character boundaries, as long as the
 * pieces fit in one request.
 */
final class FirehoseRecords implements EntryConverter<FirehoseEntry> {
  /** Firehose's limit for one record (before base64). */
  static final int MAX_RECORD = 1_000 * 1024;

  private final FirehoseConfig config;
  private final TemplateScope scope;
  private final long maxRequestBytes;

  FirehoseRecords(FirehoseConfig config, TemplateScope scope, long maxRequestBytes) {
    this.config = config;
    this.scope = scope;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * The record's delivery stream: its partition, so each stream gets its own requests. A fixed name
   * costs nothing per record: the template answers its text and a valid name is not copied.
   */
  private String stream(String tag, Event event) {
    return NameRules.firehoseStream(config.deliveryStream().render(tag, event, scope));
  }

  @Override
  public Converted<FirehoseEntry> convert(String tag, Event event) {
    byte[] body;
    if (config.message().isPresent()) {
      String text = RecordFields.text(event, config.message().get());
      if (text == null) {
        return Converted.refused("missing_message_field");
      }
      body = text.getBytes(StandardCharsets.UTF_8);
      if (config.newline()) {
        body = Arrays.copyOf(body, body.length + 1);
        body[body.length - 1] = '\n';
      }
    } else {
      body = config.newline() ? RecordJson.toJsonLine(event) : RecordJson.toJson(event);
    }
    if (body.length <= MAX_RECORD) {
      return Converted.of(stream(tag, event), new FirehoseEntry(body));
    }
    if (!config.splitOversize()) {
      return Converted.refused("record_too_large");
    }
    FirehoseEntry split = new FirehoseEntry(split(body));
    if (split.encodedSize() > maxRequestBytes) {
      return Converted.refused(
          "record_too_large: " + body.length + " bytes do not fit one request");
    }
    return Converted.of(stream(tag, event), split);
  }

  /** Pieces of at most {@link #MAX_RECORD} bytes, never cutting a UTF-8 character in two. */
  static byte[][] split(byte[] body) {
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    while (from < body.length) {
      int to = Math.min(body.length, from + MAX_RECORD);
      // Back off continuation bytes (10xxxxxx) so the cut falls before a character's first byte.
      while (to < body.length && to > from + 1 && (body[to] & 0xC0) == 0x80) {
        to--;
      }
      pieces.add(Arrays.copyOfRange(body, from, to));
      from = to;
    }
    return pieces.toArray(new byte[0][]);
  }
}
