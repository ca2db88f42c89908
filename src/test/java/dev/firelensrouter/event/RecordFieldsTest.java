package dev.firelensrouter.event;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFieldsTest {
  private final Event record =
      TestRecords.eventInBuffer(
          map(
              "log",
              "GET /",
              "status",
              200,
              "ratio",
              0.5,
              "ok",
              true,
              "none",
              null,
              "kubernetes",
              map("pod", "web-1", "labels", map("app", "web")),
              "list",
              List.of(1, 2)));

  @Test
  void readsTopLevelAndNestedFieldsAsText() {
    assertThat(RecordFields.text(record, "log")).isEqualTo("GET /");
    assertThat(RecordFields.text(record, "status")).isEqualTo("200");
    assertThat(RecordFields.text(record, "ratio")).isEqualTo("0.5");
    assertThat(RecordFields.text(record, "ok")).isEqualTo("true");
    assertThat(RecordFields.text(record, "kubernetes.pod")).isEqualTo("web-1");
    assertThat(RecordFields.text(record, "kubernetes.labels.app")).isEqualTo("web");
  }

  @Test
  void rendersMapsAndArraysAsJson() {
    assertThat(RecordFields.text(record, "kubernetes.labels")).isEqualTo("{\"app\":\"web\"}");
    assertThat(RecordFields.text(record, "list")).isEqualTo("[1,2]");
  }

  @Test
  void answersNullForMissingFieldsNilAndPathsThroughScalars() {
    assertThat(RecordFields.text(record, "missing")).isNull();
    assertThat(RecordFields.text(record, "none")).isNull();
    assertThat(RecordFields.text(record, "log.inner")).isNull();
    assertThat(RecordFields.text(record, "kubernetes.nope")).isNull();
  }

  @Test
  void answersNullForRecordsThatAreNotMapsOrAreTruncated() {
    assertThat(RecordFields.text(event("just a string"), "log")).isNull();
    assertThat(RecordFields.text(event(List.of("log", "x")), "log")).isNull();
    byte[] full = TestRecords.pack(map("a", "b", "log", "hello"));
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
    assertThat(RecordFields.text(new Event(0, 0, cut), "log")).isNull();
    assertThat(RecordFields.text(new Event(0, 0, new byte[0]), "log")).isNull();
  }
}
