package dev.firelensrouter.sink.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.event.TestRecords;
import dev.firelensrouter.sink.BatchingOptions;
import dev.firelensrouter.sink.EntryConverter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What one event becomes as a Firehose record: the whole record as JSON or one field's text. */
class FirehoseRecordsTest {
  private static final Event EVENT =
      TestRecords.eventInBuffer(
          TestRecords.map("log", "café \"GET /\"\n", "source", "stdout", "status", 200));

  private static FirehoseRecords records(Optional<String> message, boolean newline) {
    return new FirehoseRecords(
        new FirehoseConfig(
            Template.compile("lake", ZoneOffset.UTC),
            Optional.of("us-east-1"),
            Optional.empty(),
            Optional.empty(),
            message,
            newline,
            false,
            false,
            new BatchingOptions(Duration.ofSeconds(1), false, 10, Duration.ofHours(1), 4)),
        TemplateScope.EMPTY,
        4 * 1024 * 1024);
  }

  private static String body(FirehoseRecords r) {
    EntryConverter.Converted<FirehoseEntry> c = r.convert("app", EVENT);
    assertThat(c.refused()).isNull();
    assertThat(c.partition()).isEqualTo("lake");
    assertThat(c.entry().pieceCount()).isEqualTo(1);
    return new String(c.entry().piece(0), StandardCharsets.UTF_8);
  }

  @Test
  void theWholeRecordIsOneJsonLine() {
    assertThat(body(records(Optional.empty(), true)))
        .isEqualTo("{\"log\":\"café \\\"GET /\\\"\\n\",\"source\":\"stdout\",\"status\":200}\n");
  }

  @Test
  void withoutNewlineFramingItIsTheJsonAlone() {
    assertThat(body(records(Optional.empty(), false)))
        .isEqualTo("{\"log\":\"café \\\"GET /\\\"\\n\",\"source\":\"stdout\",\"status\":200}");
  }

  @Test
  void aMessageFieldSendsItsTextWithOrWithoutTheNewline() {
    assertThat(body(records(Optional.of("log"), true))).isEqualTo("café \"GET /\"\n\n");
    assertThat(body(records(Optional.of("log"), false))).isEqualTo("café \"GET /\"\n");
  }
}
