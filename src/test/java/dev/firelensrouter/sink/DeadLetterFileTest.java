package dev.firelensrouter.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.event.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class DeadLetterFileTest {
  @TempDir Path dir;

  @Test
  void eachDeadLetterIsOneJsonLineWithOutputReasonTagTimeAndRecord() throws Exception {
    try (DeadLetterFile file = new DeadLetterFile(dir, "app_logs")) {
      file.write(
          "web-firelens-1",
          new Event(1_700_000_000L, 500_000_000, record("log", "too old")),
          "too_old");
      file.write(
          "web-firelens-1", new Event(1_700_000_001L, 0, new byte[] {(byte) 0xc1}), "rejected");
    }
    List<String> lines = Files.readAllLines(dir.resolve("dead-letter/app_logs.jsonl"));
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("output").asText()).isEqualTo("app_logs");
    assertThat(first.get("reason").asText()).isEqualTo("too_old");
    assertThat(first.get("tag").asText()).isEqualTo("web-firelens-1");
    assertThat(first.get("time").asDouble()).isEqualTo(1_700_000_000.5);
    assertThat(first.get("record").get("log").asText()).isEqualTo("too old");
    // Bytes that are not msgpack are kept, not lost.
    assertThat(
            new ObjectMapper().readTree(lines.get(1)).get("record").get("msgpack_base64").asText())
        .isEqualTo("wQ==");
  }

  private static byte[] record(String key, String value) throws Exception {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(1).packString(key).packString(value);
      return p.toByteArray();
    }
  }
}
