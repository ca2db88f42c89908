package dev.firelensrouter.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.event.TestRecords;
import dev.firelensrouter.ops.PrometheusText;
import dev.firelensrouter.sink.BatchingOptions;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.EntryConverter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What becomes of an event before it is sent: a message over the 1 MiB limit is truncated with a
 * visible marker or refused, an event outside the service's time window is refused or re-stamped,
 * and every change shows in {@code firelens_router_records_altered_total}.
 */
class LogEventsTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final DeliveryMetrics metrics = new DeliveryMetrics(registry);

  private LogEvents converter(boolean deadLetterOversize, boolean restamp) {
    return converter(deadLetterOversize, restamp, Optional.of("log"));
  }

  private LogEvents converter(
      boolean deadLetterOversize, boolean restamp, Optional<String> message) {
    CloudWatchLogsConfig config =
        new CloudWatchLogsConfig(
            Template.compile("/ecs/app", ZoneOffset.UTC),
            Template.compile("{{ tag }}", ZoneOffset.UTC),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            message,
            true,
            Optional.empty(),
            Optional.empty(),
            deadLetterOversize,
            restamp,
            new BatchingOptions(Duration.ofSeconds(1), false, 10, Duration.ofHours(1), 4));
    return new LogEvents(
        config, TemplateScope.EMPTY, Clock.fixed(NOW, ZoneOffset.UTC), metrics.forOutput("cw"));
  }

  private static Event at(Instant time, String log) {
    Event e = TestRecords.event(TestRecords.map("log", log));
    return new Event(time.getEpochSecond(), 0, e.recordBytes());
  }

  private String altered(String reason) {
    String text = PrometheusText.scrape(registry);
    String prefix =
        "firelens_router_records_altered_total{output=\"cw\",reason=\"" + reason + "\"} ";
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElse("none");
  }

  @Test
  void withoutAMessageFieldTheWholeRecordIsTheMessageSizedByItsUtf8Bytes() {
    String log = "caf\u00e9 \u0001 \"q\" \u65e5\u672c \ud83d\ude00";
    EntryConverter.Converted<LogEvent> c =
        converter(false, false, Optional.empty()).convert("app", at(NOW, log));
    LogEvent e = c.entry();
    assertThat(e.message())
        .isEqualTo("{\"log\":\"caf\u00e9 \\u0001 \\\"q\\\" \u65e5\u672c \ud83d\ude00\"}");
    assertThat(e.size()).isEqualTo(e.message().getBytes(StandardCharsets.UTF_8).length + 26);
  }

  @Test
  void aMessageOverTheLimitIsTruncatedWithAMarkerWithinTheLimitAndCounted() {
    String huge = "é".repeat(600_000); // 1.2 MB of UTF-8
    EntryConverter.Converted<LogEvent> c = converter(false, false).convert("app", at(NOW, huge));
    assertThat(c.refused()).isNull();
    LogEvent e = c.entry();
    assertThat(e.message()).endsWith(LogEvents.TRUNCATED);
    assertThat(e.message().getBytes(StandardCharsets.UTF_8).length + LogEvent.OVERHEAD)
        .isLessThanOrEqualTo(1_048_576);
    assertThat(e.size()).isEqualTo(e.message().getBytes(StandardCharsets.UTF_8).length + 26);
    assertThat(altered("truncated")).isEqualTo("1.0");
  }

  @Test
  void withOversizeDeadLetterTheEventIsRefusedWhole() {
    EntryConverter.Converted<LogEvent> c =
        converter(true, false).convert("app", at(NOW, "x".repeat(1_100_000)));
    assertThat(c.refused()).isEqualTo("event_too_large");
    assertThat(altered("truncated")).isEqualTo("none");
  }

  @Test
  void eventsOutsideTheServicesWindowAreRefusedByDefault() {
    LogEvents refuse = converter(false, false);
    assertThat(refuse.convert("app", at(NOW.minus(Duration.ofDays(15)), "old")).refused())
        .isEqualTo("too_old");
    assertThat(refuse.convert("app", at(NOW.plus(Duration.ofHours(3)), "new")).refused())
        .isEqualTo("too_new");
  }

  @Test
  void withRestampTheyAreSentWithTheCurrentTimeAndCounted() {
    LogEvents restamp = converter(false, true);
    EntryConverter.Converted<LogEvent> c =
        restamp.convert("app", at(NOW.minus(Duration.ofDays(15)), "old"));
    assertThat(c.refused()).isNull();
    assertThat(c.entry().timestamp()).isEqualTo(NOW.toEpochMilli());
    assertThat(altered("restamped")).isEqualTo("1.0");
    EntryConverter.Converted<LogEvent> inWindow =
        restamp.convert("app", at(NOW.minus(Duration.ofDays(13)), "fine"));
    assertThat(inWindow.entry().timestamp())
        .isEqualTo(NOW.minus(Duration.ofDays(13)).toEpochMilli());
  }
}
