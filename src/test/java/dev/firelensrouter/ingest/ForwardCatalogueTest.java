package dev.firelensrouter.ingest;

import static dev.firelensrouter.ingest.ForwardTestSupport.concat;
import static dev.firelensrouter.ingest.ForwardTestSupport.gzipMembers;
import static dev.firelensrouter.ingest.ForwardTestSupport.hex;
import static dev.firelensrouter.ingest.ForwardTestSupport.pack;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkRing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;

/** The test catalogue of forward-protocol.md §6, each case whole and split at every byte. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardCatalogueTest {
  private static final long TS = 1293974055L;
  private static final long MAX = 1 << 20;

  /**
   * One catalogue case: input bytes and what must come out. {@code seconds}/{@code nanos} of the
   * first event are checked when {@code seconds >= 0}; {@code ack} is the exact reply (hex, "" for
   * none); {@code rejected} the counted reason or null.
   */
  record Case(
      String id,
      byte[] input,
      int events,
      long seconds,
      int nanos,
      String ack,
      boolean open,
      String rejected) {
    @Override
    public String toString() {
      return id;
    }
  }

  private final BlockingQueue<ForwardChunk> chunks = new LinkedBlockingQueue<>();
  private ChunkRing ring;

  @BeforeAll
  void startRing() {
    ring = new ChunkRing(1024, Duration.ofMillis(50), chunks::add);
    ring.start();
  }

  @AfterAll
  void stopRing() {
    ring.close();
  }

  private static void et(MessageBufferPacker p, long sec, long nsec) throws IOException {
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(ByteBuffer.allocate(8).putInt((int) sec).putInt((int) nsec).array());
  }

  private static byte[] map(String k, Object v) {
    return pack(
        p -> {
          p.packMapHeader(1).packString(k);
          if (v instanceof Integer i) {
            p.packInt(i);
          } else {
            p.packString((String) v);
          }
        });
  }

  /** {@code [ET(sec,0), {"a": i}]}. */
  private static byte[] entry(long sec, int i) {
    return pack(
        p -> {
          p.packArrayHeader(2);
          et(p, sec, 0);
          p.packMapHeader(1).packString("a").packInt(i);
        });
  }

  private static byte[] metaEntry(long sec, int i) {
    return pack(
        p -> {
          p.packArrayHeader(2).packArrayHeader(2);
          et(p, sec, 0);
          p.packMapHeader(0);
          p.packMapHeader(1).packString("a").packInt(i);
        });
  }

  private static byte[] intEntry(long sec, int i) {
    return pack(
        p -> p.packArrayHeader(2).packLong(sec).packMapHeader(1).packString("a").packInt(i));
  }

  private static byte[] forward(String tag, byte[] entries, int count, byte[] option) {
    byte[] head =
        pack(p -> p.packArrayHeader(option == null ? 2 : 3).packString(tag).packArrayHeader(count));
    return option == null ? concat(head, entries) : concat(head, entries, option);
  }

  private static byte[] packed(String tag, byte[] payload, boolean bin, byte[] option) {
    byte[] head =
        pack(
            p -> {
              p.packArrayHeader(option == null ? 2 : 3).packString(tag);
              if (bin) {
                p.packBinaryHeader(payload.length);
              } else {
                p.packRawStringHeader(payload.length);
              }
            });
    return option == null ? concat(head, payload) : concat(head, payload, option);
  }

  private static String ackOf(String chunk) {
    return hex(concat(hex("81a3 61636b"), pack(p -> p.packString(chunk))));
  }

  private static Case ok(String id, byte[] in, int events, long sec, int nanos, String ack) {
    return new Case(id, in, events, sec, nanos, ack, true, null);
  }

  private static Case closed(String id, byte[] in, String reason) {
    return new Case(id, in, 0, -1, 0, "", false, reason);
  }

  static Stream<Case> catalogue() {
    byte[] twoEntries = concat(entry(TS, 1), entry(TS, 2));
    byte[] chunkOpt = map("chunk", "forward-chunk-001");
    byte[] fbMessage =
        hex(
            "93 a4 74 65 73 74 d7 00 49 96 02 d2 07 5b cd 15 81 a7 6d 65 73 73 61 67 65 a9 65 76 65"
                + " 6e 74 74 69 6d 65");
    // Inflates past 16 x max_frame; many members of zeros, each small on the wire.
    byte[] bomb =
        gzipMembers(IntStream.range(0, 17).mapToObj(i -> new byte[1 << 20]).toArray(byte[][]::new));
    byte[] batch =
        concat(
            IntStream.range(0, 256).mapToObj(i -> intEntry(1234567890L, i)).toArray(byte[][]::new));
    return Stream.of(
        ok(
            "01 message mode, EventTime",
            pack(
                p -> {
                  p.packArrayHeader(3).packString("tag1");
                  et(p, TS, 0);
                  p.packMapHeader(1).packString("a").packInt(1);
                }),
            1,
            TS,
            0,
            ""),
        ok(
            "02 message mode, integer time",
            pack(
                p ->
                    p.packArrayHeader(3)
                        .packString("tag1")
                        .packLong(TS)
                        .packMapHeader(1)
                        .packString("a")
                        .packInt(1)),
            1,
            TS,
            0,
            ""),
        ok(
            "03 message mode, time 0 kept as sent",
            pack(p -> p.packArrayHeader(3).packString("tag1").packInt(0).packMapHeader(0)),
            1,
            0,
            0,
            ""),
        ok("04 EventTime with nanoseconds", fbMessage, 1, 1234567890L, 123456789, ""),
        ok(
            "05 EventTime as ext8",
            hex(
                "94 a3 74 61 67 c7 08 00 4b 92 1e 65 00 00 01 00 81 a3 66 6f"
                    + " 6f a3 62 61 72 80"),
            1,
            1267867237L,
            256,
            ""),
        ok(
            "05b EventTime as fixext8",
            hex("94 a3 74 61 67 d7 00 4b 92 1e 65 00 00 01 00 81 a3 66 6f" + " 6f a3 62 61 72 80"),
            1,
            1267867237L,
            256,
            ""),
        ok(
            "06 Docker signed int32 time",
            hex(
                "94 a3 74 61 67 d2 4b 92 1e 65 82 a3 66 6f 6f a3 62 61"
                    + " 72 a4 68 6f 67 65 a4 68 6f 67 65 80"),
            1,
            1267867237L,
            0,
            ""),
        ok(
            "06b uint64 time",
            pack(
                p ->
                    p.packArrayHeader(3)
                        .packString("t")
                        .packBigInteger(java.math.BigInteger.valueOf(TS))
                        .packMapHeader(0)),
            1,
            TS,
            0,
            ""),
        ok("07 forward mode, 2 entries", forward("tag1", twoEntries, 2, null), 2, TS, 0, ""),
        ok(
            "08 forward mode, metadata entries",
            forward("tag1", concat(metaEntry(TS, 1), metaEntry(TS, 2)), 2, map("fluent_signal", 0)),
            2,
            TS,
            0,
            ""),
        ok("09 packed forward, str entries", packed("tag1", twoEntries, false, null), 2, TS, 0, ""),
        ok(
            "10 packed forward, bin entries, ack",
            packed("test", intEntry(1234567890L, 1), true, map("chunk", "packed-chunk-001")),
            1,
            1234567890L,
            0,
            ackOf("packed-chunk-001")),
        ok(
            "11 packed forward, metadata entries",
            packed(
                "tag1", concat(metaEntry(TS, 1), metaEntry(TS, 2)), false, map("fluent_signal", 0)),
            2,
            TS,
            0,
            ""),
        ok(
            "12 gzip, two concatenated members, str",
            packed(
                "tag1",
                gzipMembers(intEntry(TS, 1), intEntry(TS, 2)),
                false,
                map("compressed", "gzip")),
            2,
            TS,
            0,
            ""),
        ok(
            "13 gzip as Fluent Bit sends it",
            packed(
                "test",
                gzipMembers(intEntry(1234567890L, 1)),
                true,
                pack(
                    p ->
                        p.packMapHeader(2)
                            .packString("compressed")
                            .packString("gzip")
                            .packString("size")
                            .packInt(1))),
            1,
            1234567890L,
            0,
            ""),
        ok(
            "14 zstd",
            packed("tag1", Zstd.compress(twoEntries), true, map("compressed", "zstd")),
            2,
            TS,
            0,
            ""),
        ok(
            "15 gzip metadata entries",
            packed(
                "tag1",
                gzipMembers(metaEntry(TS, 1), metaEntry(TS, 2)),
                true,
                map("compressed", "gzip")),
            2,
            TS,
            0,
            ""),
        ok(
            "16 compressed text is plain",
            packed("t", intEntry(TS, 1), false, map("compressed", "text")),
            1,
            TS,
            0,
            ""),
        ok(
            "17 gzip sniffed without option",
            packed("t", gzipMembers(twoEntries), true, pack(p -> p.packMapHeader(0))),
            2,
            TS,
            0,
            ""),
        ok(
            "18 ack echoes a chunk ending in newline",
            pack(
                p -> {
                  p.packArrayHeader(4).packString("tag1");
                  et(p, TS, 0);
                  p.packMapHeader(1).packString("a").packInt(1);
                  p.packMapHeader(1).packString("chunk").packString("p8n9gmxTQVC8/nh2wlKKeQ==\n");
                }),
            1,
            TS,
            0,
            ackOf("p8n9gmxTQVC8/nh2wlKKeQ==\n")),
        ok(
            "19 ack for forward mode",
            forward("tag1", twoEntries, 2, chunkOpt),
            2,
            TS,
            0,
            ackOf("forward-chunk-001")),
        ok(
            "20 no chunk, no response",
            forward("tag1", twoEntries, 2, map("size", 2)),
            2,
            TS,
            0,
            ""),
        ok(
            "21 ack with message-mode metadata",
            pack(
                p -> {
                  p.packArrayHeader(4)
                      .packString("test")
                      .packLong(1234567890L)
                      .packMapHeader(1)
                      .packString("message")
                      .packString("metadata-ack");
                  p.packMapHeader(2)
                      .packString("chunk")
                      .packString("chunk-001")
                      .packString("metadata")
                      .packMapHeader(1)
                      .packString("source")
                      .packString("suite");
                }),
            1,
            1234567890L,
            0,
            ackOf("chunk-001")),
        ok(
            "22 256 entries, one ack",
            forward("test", batch, 256, map("chunk", "batch-001")),
            256,
            1234567890L,
            0,
            ackOf("batch-001")),
        ok(
            "23 golang ack",
            pack(
                p ->
                    p.packArrayHeader(4)
                        .packString("tag")
                        .packLong(TS)
                        .packMapHeader(0)
                        .packMapHeader(1)
                        .packString("chunk")
                        .packString("dgxdWAAAAAABAAAAAAAAAA==")),
            1,
            TS,
            0,
            ackOf("dgxdWAAAAAABAAAAAAAAAA==")),
        ok(
            "24 Fluency uuid chunk, size ignored",
            packed(
                "t",
                twoEntries,
                false,
                pack(
                    p ->
                        p.packMapHeader(2)
                            .packString("size")
                            .packInt(twoEntries.length)
                            .packString("chunk")
                            .packString("0d6cd3a5-8d2c-4d40-92f5-1f0a3e5f5c11"))),
            2,
            TS,
            0,
            ackOf("0d6cd3a5-8d2c-4d40-92f5-1f0a3e5f5c11")),
        ok(
            "25 invalid time is skipped and still acked",
            pack(
                p ->
                    p.packArrayHeader(4)
                        .packString("tag")
                        .packString("not-a-time")
                        .packMapHeader(1)
                        .packString("a")
                        .packInt(1)
                        .packMapHeader(1)
                        .packString("chunk")
                        .packString("c1")),
            0,
            -1,
            0,
            ackOf("c1")),
        ok(
            "34 top-level string is ignored",
            pack(p -> p.packString("broken string")),
            0,
            -1,
            0,
            ""),
        ok(
            "35 invalid entries inside forward are skipped",
            forward(
                "tag1",
                concat(
                    entry(TS, 1),
                    pack(
                        p ->
                            p.packArrayHeader(2)
                                .packString("invalid time")
                                .packMapHeader(1)
                                .packString("a")
                                .packInt(3)),
                    pack(
                        p -> {
                          p.packArrayHeader(2);
                          et(p, TS, 0);
                          p.packString("invalid record");
                        }),
                    entry(TS, 2)),
                4,
                null),
            2,
            TS,
            0,
            ""),
        ok(
            "37 short entry is skipped, valid prefix kept",
            forward(
                "test",
                concat(
                    entry(1234567890L, 1), pack(p -> p.packArrayHeader(1).packLong(1234567890L))),
                2,
                null),
            1,
            1234567890L,
            0,
            ""),
        ok(
            "40 nil heartbeat then a message",
            concat(hex("c0"), fbMessage),
            1,
            1234567890L,
            123456789,
            ""),
        ok(
            "41 Docker 18 nil options",
            hex("94 a3 61 62 63 ce 49 96 02 d2 81 a3 6c 6f 67 a1 78 c0"),
            1,
            1234567890L,
            0,
            ""),
        ok(
            "42 float time",
            pack(
                p ->
                    p.packArrayHeader(3)
                        .packString("t")
                        .packDouble(1234567890.5)
                        .packMapHeader(1)
                        .packString("a")
                        .packInt(1)),
            1,
            1234567890L,
            500_000_000,
            ""),
        ok(
            "43 msgpack Timestamp ext -1 time",
            hex("93 a1 74 d6 ff 49 96 02 d2 81 a1 61 01"),
            1,
            1234567890L,
            0,
            ""),
        ok(
            "51 many messages in one write",
            concat(fbMessage, fbMessage, fbMessage),
            3,
            1234567890L,
            123456789,
            ""),
        ok(
            "59 group markers skipped",
            forward(
                "otel",
                concat(metaEntry(0xFFFFFFFFL, 0), metaEntry(TS, 1), metaEntry(0xFFFFFFFEL, 0)),
                3,
                null),
            1,
            TS,
            0,
            ""),
        ok(
            "60 Fluentd str32 packed forward with newline chunk",
            concat(
                hex("93 a4 74 65 73 74 db"),
                ByteBuffer.allocate(4).putInt(twoEntries.length).array(),
                twoEntries,
                pack(
                    p ->
                        p.packMapHeader(3)
                            .packString("size")
                            .packInt(2)
                            .packString("compressed")
                            .packString("text")
                            .packString("chunk")
                            .packString("AAAAAAAAAAAAAAAAAAAAAA==\n"))),
            2,
            TS,
            0,
            ackOf("AAAAAAAAAAAAAAAAAAAAAA==\n")),
        ok(
            "unsigned EventTime seconds past 2038",
            forward("t", entry(0xF0000000L, 1), 1, null),
            1,
            0xF0000000L,
            0,
            ""),
        ok(
            "metrics signal acked and dropped",
            packed(
                "t",
                new byte[] {1, 2, 3},
                true,
                pack(
                    p ->
                        p.packMapHeader(2)
                            .packString("chunk")
                            .packString("m1")
                            .packString("fluent_signal")
                            .packInt(1))),
            0,
            -1,
            0,
            ackOf("m1")),
        closed("broken msgpack closes", hex("93 a1 74 c1"), "malformed_msgpack"),
        closed(
            "45 frame over max_frame closes without ack",
            packed("t", new byte[(int) MAX], true, map("chunk", "big")),
            "frame_too_large"),
        closed(
            "46 decompression bomb closes",
            packed("t", bomb, false, map("compressed", "gzip")),
            "decompressed_too_large"),
        closed(
            "bad gzip closes",
            packed(
                "t",
                new byte[] {0x1f, (byte) 0x8b, 9, 9, 9},
                true,
                concat(
                    hex("82"),
                    pack(
                        p ->
                            p.packString("compressed")
                                .packString("gzip")
                                .packString("chunk")
                                .packString("x")))),
            "bad_compression"),
        closed(
            "unknown codec closes",
            packed("t", twoEntries, true, map("compressed", "lz4")),
            "unsupported_compression"),
        closed(
            "option not a map closes",
            forward("t", twoEntries, 2, pack(p -> p.packInt(1))),
            "invalid_option"),
        closed(
            "tag not a string closes",
            pack(p -> p.packArrayHeader(3).packInt(1).packLong(TS).packMapHeader(0)),
            "invalid_tag"),
        closed(
            "one-element request closes",
            pack(p -> p.packArrayHeader(1).packString("t")),
            "invalid_request"),
        closed(
            "garbage inside packed entries closes",
            packed("t", concat(entry(TS, 1), hex("c1")), true, map("chunk", "g")),
            "malformed_entries"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void catalogueCaseWhole(Case c) {
    check(c, new ForwardPipeline(ring, chunks, MAX).write(c.input()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void catalogueCaseSplitAtEveryByte(Case c) {
    int step = Math.max(1, c.input().length / (c.input().length > 4096 ? 20 : 400));
    for (int cut = 1; cut < c.input().length; cut += step) {
      check(
          c,
          new ForwardPipeline(ring, chunks, MAX)
              .write(
                  Arrays.copyOfRange(c.input(), 0, cut),
                  Arrays.copyOfRange(c.input(), cut, c.input().length)));
    }
  }

  private void check(Case c, ForwardPipeline pipe) {
    List<Event> events = pipe.events();
    assertThat(events).hasSize(c.events());
    if (c.seconds() >= 0) {
      assertThat(events.get(0).seconds()).isEqualTo(c.seconds());
      assertThat(events.get(0).nanos()).isEqualTo(c.nanos());
    }
    for (Event e : events) {
      Value record = unpack(e);
      assertThat(record.isMapValue()).isTrue();
    }
    assertThat(hex(pipe.output())).isEqualTo(c.ack());
    assertThat(pipe.open()).isEqualTo(c.open());
    if (c.rejected() != null) {
      assertThat(pipe.rejected(c.rejected())).isEqualTo(1.0);
    }
    if (!c.open()) {
      assertThat(pipe.received()).isZero();
    }
  }

  private static Value unpack(Event e) {
    try (var u =
        MessagePack.newDefaultUnpacker(e.recordBuffer(), e.recordOffset(), e.recordLength())) {
      Value v = u.unpackValue();
      assertThat(u.hasNext()).isFalse();
      return v;
    } catch (IOException ex) {
      throw new AssertionError(ex);
    }
  }
}
