package dev.firelensrouter.sink.cloudwatch;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.NameRules;
import dev.firelensrouter.event.RecordFields;
import dev.firelensrouter.event.RecordJson;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.event.Utf8;
import dev.firelensrouter.sink.EntryConverter;
import dev.firelensrouter.sink.OutputMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A routed event as a log event of its rendered (group, stream): the record as JSON, or one field's
 * text. A message over the event limit is truncated with a visible marker (or, with {@code
 * oversize: dead_letter}, refused); an event too old or too new for the service is refused (or,
 * with {@code out_of_range: restamp}, given the current time). Changes are counted in {@code
 * firelens_router_records_altered_total}; refusals are dead-lettered by the engine.
 */
final class LogEvents implements EntryConverter<LogEvent> {
  static final String TRUNCATED = "...[truncated by firelens-router]";
  private static final long TOO_OLD = Duration.ofDays(14).toMillis();
  private static final long TOO_NEW = Duration.ofHours(2).toMillis();

  private final CloudWatchLogsConfig config;
  private final TemplateScope scope;
  private final Clock clock;
  private final OutputMetrics metrics;

  LogEvents(CloudWatchLogsConfig config, TemplateScope scope, Clock clock, OutputMetrics metrics) {
    this.config = config;
    this.scope = scope;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** (group, stream) as one partition key. */
  static String partition(String group, String stream) {
    return group + '\u0000' + stream;
  }

  @Override
  public Converted<LogEvent> convert(String tag, Event event) {
    long ts = event.epochMillis();
    long now = clock.millis();
    if (ts < now - TOO_OLD || ts > now + TOO_NEW) {
      if (!config.restampOutOfRange()) {
        return Converted.refused(ts < now ? "too_old" : "too_new");
      }
      metrics.altered("restamped");
      ts = now;
    }
    String message;
    int bytes;
    if (config.message().isPresent()) {
      message = RecordFields.text(event, config.message().get());
      if (message == null) {
        return Converted.refused("missing_message_field");
      }
      bytes = Utf8.encodedLength(message);
    } else {
      byte[] json = RecordJson.toJson(event); // valid UTF-8: as long as its String's encoding
      message = new String(json, StandardCharsets.UTF_8);
      bytes = json.length;
    }
    if (bytes > LogEvent.MAX_MESSAGE_BYTES) {
      if (config.deadLetterOversize()) {
        return Converted.refused("event_too_large");
      }
      metrics.altered("truncated");
      message = truncate(message);
      bytes = Utf8.encodedLength(message);
    }
    if (message.isEmpty()) {
      return Converted.refused("empty_message");
    }
    String group = NameRules.cloudWatchLogGroup(config.logGroup().render(tag, event, scope));
    String stream = NameRules.cloudWatchLogStream(config.logStream().render(tag, event, scope));
    return Converted.of(
        partition(group, stream), new LogEvent(ts, message, bytes + LogEvent.OVERHEAD));
  }

  static String truncate(String message) {
    int budget = LogEvent.MAX_MESSAGE_BYTES - TRUNCATED.length();
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < message.length(); ) {
      int cp = message.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > budget) {
        break;
      }
      b.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return b.append(TRUNCATED).toString();
  }
}
