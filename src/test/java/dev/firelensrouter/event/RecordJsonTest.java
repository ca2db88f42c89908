package dev.firelensrouter.event;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static dev.firelensrouter.event.TestRecords.pack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class RecordJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String json(Object record) {
    return new String(RecordJson.toJson(event(record)), StandardCharsets.UTF_8);
  }

  @Test
  void writesNestedRecordAsJsonThatParsesBackToTheSameValues() throws IOException {
    Map<String, Object> record =
        map(
            "log",
            "hello \"world\"\n\ttab\\",
            "n",
            42,
            "neg",
            -7L,
            "big",
            Long.MAX_VALUE,
            "pi",
            3.25,
            "ok",
            true,
            "no",
            false,
            "nothing",
            null,
            "list",
            List.of(1, "two", map("three", 3)),
            "kubernetes",
            map("pod", "p-1", "labels", map("app", "web")));
    assertThat(json(record)).isEqualTo(JSON.writeValueAsString(record));
  }

  @Test
  void recordsOfEverySizeOneAfterAnotherEachComeOutWholeAndOnTheirOwn() throws IOException {
    // Small ones, one whose escapes grow its JSON past the thread's buffer, one too big for it
    // from the start, and small ones again: nothing of one record leaks into the next.
    List<String> texts =
        List.of("first", "\u0001".repeat(20_000), "x".repeat(200_000), "after the big ones", "");
    List<byte[]> outputs = new java.util.ArrayList<>();
    for (String text : texts) {
      outputs.add(RecordJson.toJsonLine(event(map("log", text))));
    }
    for (int i = 0; i < texts.size(); i++) {
      assertThat(new String(outputs.get(i), StandardCharsets.UTF_8))
          .isEqualTo(JSON.writeValueAsString(map("log", texts.get(i))) + "\n");
    }
  }

  @Test
  void anyMixOfPlainRunsEscapesAndMultibyteTextComesOutAsJacksonWritesIt() throws IOException {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    String[] pieces = {
      "a", "plain text ", "\"", "\\", "\n", "\u0001", "\u007f", "é", "日本", "🙂", "/"
    };
    for (int round = 0; round < 500; round++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      Map<String, Object> record =
          map("log", text.toString(), "k\"" + round, text.reverse().toString());
      assertThat(JSON.readTree(json(record))).isEqualTo(JSON.valueToTree(record));
    }
  }

  @Test
  void escapesControlCharactersAsUnicodeEscapes() {
    assertThat(json(map("c", "a\u0001b\u001fc"))).isEqualTo("{\"c\":\"a\\u0001b\\u001fc\"}");
  }

  @Test
  void keepsValidMultibyteUtf8AndReplacesInvalidBytes() {
    assertThat(json(map("s", "日本語 é 😀"))).isEqualTo("{\"s\":\"日本語 é 😀\"}");
    byte[] bad = {'a', (byte) 0xff, 'b', (byte) 0xc3, (byte) 0x28, (byte) 0xed, (byte) 0xa0};
    String out = json(map("s", bad));
    assertThat(out).isEqualTo("{\"s\":\"a\uFFFDb\uFFFD(\uFFFD\uFFFD\"}");
  }

  @Test
  void writesBinaryAsString() {
    assertThat(json(map("b", "raw".getBytes(StandardCharsets.UTF_8)))).isEqualTo("{\"b\":\"raw\"}");
  }

  @Test
  void writesNanAndInfinityAsNull() {
    assertThat(json(map("a", Double.NaN, "b", Double.POSITIVE_INFINITY, "c", 1.5f)))
        .isEqualTo("{\"a\":null,\"b\":null,\"c\":1.5}");
  }

  @Test
  void writesEventTimeExtAsSecondsDotNanosAndOtherExtAsNull() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(2);
    p.packString("t");
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(new byte[] {0x65, 0x53, (byte) 0xf1, 0x00, 0, 0, 0, 5});
    p.packString("x");
    p.packExtensionTypeHeader((byte) 7, 2);
    p.writePayload(new byte[] {1, 2});
    byte[] rec = p.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordJson.write(rec, 0, rec.length, out);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"t\":1700000000.000000005,\"x\":null}");
  }

  @Test
  void stringifiesKeysThatAreNotStrings() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(3);
    p.packInt(1);
    p.packString("one");
    p.packBoolean(true);
    p.packString("yes");
    p.packNil();
    p.packInt(0);
    byte[] rec = p.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordJson.write(rec, 0, rec.length, out);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"1\":\"one\",\"true\":\"yes\",\"null\":0}");
  }

  @Test
  void writesOnlyTheRecordsBytesOfASharedBuffer() {
    byte[] json = RecordJson.toJson(TestRecords.eventInBuffer(map("a", 1)));
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void writesUnsigned64BitIntegersWithoutGoingNegative() {
    byte[] rec = {(byte) 0x81, (byte) 0xa1, 'u', (byte) 0xcf, -1, -1, -1, -1, -1, -1, -1, -1};
    assertThat(new String(RecordJson.toJson(new Event(0, 0, rec)), StandardCharsets.UTF_8))
        .isEqualTo("{\"u\":18446744073709551615}");
  }

  @Test
  void refusesTruncatedRecords() {
    byte[] rec = pack(map("log", "hello"));
    byte[] cut = java.util.Arrays.copyOf(rec, rec.length - 2);
    assertThatThrownBy(() -> RecordJson.write(cut, 0, cut.length, new ByteArrayOutputStream()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> RecordJson.toJson(new Event(0, 0, cut)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesNestingBeyondTheLimitAsNullWithoutOverflowingTheStack() throws IOException {
    int depth = 100_000;
    byte[] rec = new byte[depth + 1];
    java.util.Arrays.fill(rec, 0, depth, (byte) 0x91); // [[[[...
    rec[depth] = 0x01;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordJson.write(rec, 0, rec.length, out);
    String s = out.toString(StandardCharsets.UTF_8);
    assertThat(s).endsWith("null" + "]".repeat(RecordJson.MAX_DEPTH + 1));
    assertThat(JSON.readTree(s).isArray()).isTrue();
  }
}
