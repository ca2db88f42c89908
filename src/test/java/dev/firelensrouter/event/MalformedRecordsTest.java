package dev.firelensrouter.event;

import static dev.firelensrouter.event.TestRecords.map;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reading fields and writing JSON never fail on bytes that are not a valid record. */
class MalformedRecordsTest {
  private static final byte[] VALID =
      TestRecords.pack(
          map(
              "log",
              "hello",
              "n",
              123456789L,
              "f",
              1.5,
              "nested",
              map("a", List.of(1, "x", map("b", true))),
              "bin",
              new byte[] {1, 2, 3}));

  private static void readEverything(byte[] bytes) {
    Event e = new Event(0, 0, bytes);
    for (String path : List.of("log", "n", "f", "nested", "nested.a", "nested.a.b", "bin", "x")) {
      RecordFields.text(e, path);
    }
    try {
      RecordJson.write(bytes, 0, bytes.length, new ByteArrayOutputStream());
    } catch (IOException expected) {
      // malformed records are refused with an IOException, nothing else
    }
    Template.compile("{{ log }}-{{ nested.a }}-%Y", java.time.ZoneOffset.UTC)
        .render("t", e, TemplateScope.EMPTY);
  }

  @Test
  void everyTruncationOfAValidRecordIsReadWithoutFailing() {
    for (int len = 0; len < VALID.length; len++) {
      byte[] cut = Arrays.copyOf(VALID, len);
      assertThatCode(() -> readEverything(cut)).doesNotThrowAnyException();
    }
  }

  @Test
  void randomBytesAndRandomCorruptionsAreReadWithoutFailing() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes;
      if (i % 2 == 0) {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
      } else {
        bytes = VALID.clone();
        for (int k = 0; k < 3; k++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      byte[] input = bytes;
      assertThatCode(() -> readEverything(input)).doesNotThrowAnyException();
    }
  }
}
