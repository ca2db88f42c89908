package dev.firelensrouter.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * FireLens-shaped records: {@code log} padded to the record size, {@code source}, {@code
 * container_id}, {@code container_name}, the ECS fields, plus {@code lg_id} ("connection-sequence",
 * unique per record) and {@code lg_sent_ns} so a harness can count loss, duplicates, order and
 * latency.
 */
final class RecordFactory {
  private final int connection;

  /**
   * The map header and every field that is the same in each record, packed once: encoding the
   * {@code log} text record by record cost the load generator more CPU than the router spends
   * reading it, CPU the router under test then did not have.
   */
  private final byte[] constantFields;

  RecordFactory(int recordSize, int connection) {
    char[] fill = new char[Math.max(1, recordSize)];
    Arrays.fill(fill, 'x');
    String text = "GET /index.html HTTP/1.1 200 ";
    String padding = (text + new String(fill)).substring(0, fill.length);
    this.connection = connection;
    try (MessageBufferPacker p = packer()) {
      p.packMapHeader(9);
      p.packString("log").packString(padding);
      p.packString("source").packString("stdout");
      p.packString("container_id").packString("loadgen" + connection);
      p.packString("container_name").packString("/ecs-app-" + connection);
      p.packString("ecs_cluster").packString("loadgen");
      p.packString("ecs_task_arn").packString("arn:aws:ecs:us-east-1:123456789012:task/loadgen/0");
      p.packString("ecs_task_definition").packString("loadgen:1");
      this.constantFields = p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one {@code [time, record]} entry. */
  void packEntry(MessageBufferPacker p, long seq, long nowMillis) {
    try {
      packTime(p, nowMillis);
      packRecord(p, seq);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void packTime(MessageBufferPacker p, long millis) throws IOException {
    byte[] t = new byte[8];
    long sec = millis / 1000;
    long nanos = (millis % 1000) * 1_000_000L;
    for (int i = 0; i < 4; i++) {
      t[i] = (byte) (sec >>> (24 - 8 * i));
      t[4 + i] = (byte) (nanos >>> (24 - 8 * i));
    }
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(t);
  }

  void packRecord(MessageBufferPacker p, long seq) throws IOException {
    p.writePayload(constantFields);
    p.packString("lg_id").packString(connection + "-" + seq);
    p.packString("lg_sent_ns").packLong(System.currentTimeMillis() * 1_000_000L);
  }

  static MessageBufferPacker packer() {
    return MessagePack.newDefaultBufferPacker();
  }
}
