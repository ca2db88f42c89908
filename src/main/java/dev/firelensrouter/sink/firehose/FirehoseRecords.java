package dev.firelensrouter.sink.firehose;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordJson;
import dev.firelensrouter.sink.EntryConverter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A routed event as one Firehose record's bytes: its JSON (or one field's text), newline-ended. */
final class FirehoseRecords implements EntryConverter<byte[]> {
  /** Firehose's limit for one record (before base64). */
  static final int MAX_RECORD = 1_000 * 1024;

  private final FirehoseConfig config;

  FirehoseRecords(FirehoseConfig config) {
    this.config = config;
  }

  @Override
  public Converted<byte[]> convert(String tag, Event event) {
    byte[] body;
    if (config.message().isPresent()) {
      String text = RecordFields.text(event, config.message().get());
      if (text == null) {
        return Converted.refused("missing_message_field");
      }
      body = text.getBytes(StandardCharsets.UTF_8);
    } else {
      body = RecordJson.toJson(event);
    }
    if (config.newline()) {
      body = Arrays.copyOf(body, body.length + 1);
      body[body.length - 1] = '\n';
    }
    if (body.length > MAX_RECORD) {
      return Converted.refused("record_too_large");
    }
    return Converted.of(config.deliveryStream(), body);
  }
}
