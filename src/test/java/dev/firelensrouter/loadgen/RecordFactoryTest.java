package dev.firelensrouter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ExtensionValue;
import org.msgpack.value.Value;

class RecordFactoryTest {

  @Test
  void eachEntryIsAFireLensRecordWithItsOwnIdAndSendTime() throws Exception {
    RecordFactory factory = new RecordFactory(1024, 3);
    long before = System.currentTimeMillis();
    byte[] bytes;
    try (MessageBufferPacker p = RecordFactory.packer()) {
      for (long seq = 41; seq <= 42; seq++) {
        p.packArrayHeader(2);
        factory.packEntry(p, seq, 1_700_000_000_123L);
      }
      bytes = p.toByteArray();
    }
    long after = System.currentTimeMillis();

    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
      for (long seq = 41; seq <= 42; seq++) {
        assertThat(u.unpackArrayHeader()).isEqualTo(2);
        ExtensionValue time = u.unpackValue().asExtensionValue();
        assertThat(time.getType()).isZero();
        assertThat(time.getData()).hasSize(8);
        Map<String, Value> record = new LinkedHashMap<>();
        int size = u.unpackMapHeader();
        for (int i = 0; i < size; i++) {
          record.put(u.unpackString(), u.unpackValue());
        }
        assertThat(record)
            .containsOnlyKeys(
                "log",
                "source",
                "container_id",
                "container_name",
                "ecs_cluster",
                "ecs_task_arn",
                "ecs_task_definition",
                "lg_id",
                "lg_sent_ns");
        assertThat(record.get("log").asStringValue().asString())
            .hasSize(1024)
            .startsWith("GET /index.html HTTP/1.1 200 x");
        assertThat(record.get("container_name").asStringValue().asString()).isEqualTo("/ecs-app-3");
        assertThat(record.get("lg_id").asStringValue().asString()).isEqualTo("3-" + seq);
        long sentMillis = record.get("lg_sent_ns").asIntegerValue().asLong() / 1_000_000L;
        assertThat(sentMillis).isBetween(before, after);
      }
      assertThat(u.hasNext()).isFalse();
    }
  }
}
