package dev.firelensrouter.ingest;

import static dev.firelensrouter.ingest.ForwardTestSupport.concat;
import static dev.firelensrouter.ingest.ForwardTestSupport.hex;
import static dev.firelensrouter.ingest.ForwardTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkRing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** Replays what a real Fluent Bit 5.1.1 sent: every record must come out, acks byte-exact. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureReplayTest {
  private static final long MAX = 16L << 20;
  private static final String LOG = "GET /index.html 200 ログ é";

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

  static List<String> fixtures() {
    return ForwardTestSupport.FIXTURES;
  }

  /** The acks a correct server writes: {"ack": chunk} for every request carrying a chunk. */
  private static byte[] expectedAcks(byte[] stream, boolean skipFirst) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(stream)) {
      boolean first = true;
      while (u.hasNext()) {
        Value v = u.unpackValue();
        if (first && skipFirst) {
          first = false;
          continue;
        }
        List<Value> request = v.asArrayValue().list();
        Value option = request.get(request.size() - 1);
        if (option.isMapValue()) {
          Value chunk = option.asMapValue().map().get(ValueFactory.newString("chunk"));
          if (chunk != null) {
            out.writeBytes(
                ForwardTestSupport.pack(
                    p -> p.packMapHeader(1).packString("ack").packValue(chunk)));
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static void assertRecordsIntact(List<Event> events) throws IOException {
    for (Event e : events) {
      try (MessageUnpacker u =
          MessagePack.newDefaultUnpacker(e.recordBuffer(), e.recordOffset(), e.recordLength())) {
        Map<Value, Value> record = u.unpackValue().asMapValue().map();
        assertThat(record.get(ValueFactory.newString("log")).asStringValue().asString())
            .isEqualTo(LOG);
        assertThat(record.get(ValueFactory.newString("nested")).toJson())
            .isEqualTo("{\"a\":[1,2.5,true,null]}");
      }
      assertThat(e.seconds()).isGreaterThan(1_700_000_000L).isLessThan(0xFFFFFFFFL);
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyRecordFromARealFluentBitComesOutAndEveryChunkIsAckedByteExact(String fixture)
      throws IOException {
    byte[] stream = resource(fixture);
    ForwardPipeline pipe = new ForwardPipeline(ring, chunks, MAX).write(stream);
    List<Event> events = pipe.events();
    assertThat(events).hasSize(fixture.contains("bulk") ? 3000 : 5);
    assertRecordsIntact(events);
    assertThat(hex(pipe.output())).isEqualTo(hex(expectedAcks(stream, false)));
    assertThat(pipe.open()).isTrue();
  }

  private ForwardPipeline sharedKeyPipeline(byte[] nonce) {
    return new ForwardPipeline(
        ring,
        chunks,
        MAX,
        metrics ->
            new HandshakeHandler(
                new SharedKeyHandshake("s3cret-key", "capture-server", List.of()),
                () -> nonce.clone(),
                Duration.ofSeconds(30),
                metrics));
  }

  /** The recording holds one connection after another, each starting with its PING. */
  private static List<byte[]> connections(byte[] stream) {
    io.netty.channel.embedded.EmbeddedChannel ch =
        new io.netty.channel.embedded.EmbeddedChannel(new ForwardFrameDecoder(MAX));
    ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(stream));
    List<byte[]> connections = new ArrayList<>();
    ByteArrayOutputStream current = null;
    Object frame;
    while ((frame = ch.readInbound()) != null) {
      byte[] f = (byte[]) frame;
      if ((f[0] & 0xff) == 0x96) { // a 6-element array: PING
        if (current != null) {
          connections.add(current.toByteArray());
        }
        current = new ByteArrayOutputStream();
      }
      current.writeBytes(f);
    }
    connections.add(current.toByteArray());
    return connections;
  }

  @Test
  void acceptsTheRecordedSharedKeyHandshakeWhenGivenTheRecordedNonce() throws IOException {
    byte[] nonce = hex("000102030405060708090a0b0c0d0e0f");
    List<Event> all = new ArrayList<>();
    List<byte[]> connections = connections(resource("fluent-bit-5.1.1-shared-key.bin"));
    assertThat(connections).hasSize(2);
    for (byte[] connection : connections) {
      ForwardPipeline pipe = sharedKeyPipeline(nonce).write(connection);
      all.addAll(pipe.events());
      List<Value> replies = new ArrayList<>();
      byte[] out = pipe.output();
      try (MessageUnpacker u = MessagePack.newDefaultUnpacker(out)) {
        while (u.hasNext()) {
          replies.add(u.unpackValue());
        }
      }
      assertThat(replies.get(0).asArrayValue().get(0).toString()).isEqualTo("HELO");
      List<Value> pong = replies.get(1).asArrayValue().list();
      assertThat(pong.get(0).toString()).isEqualTo("PONG");
      assertThat(pong.get(1).asBooleanValue().getBoolean()).isTrue();
      assertThat(pong.get(3).toString()).isEqualTo("capture-server");
      assertThat(hex(out)).endsWith(hex(expectedAcks(connection, true)));
      assertThat(replies).hasSize(3);
      assertThat(pipe.open()).isTrue();
    }
    assertThat(all).hasSize(5);
    assertRecordsIntact(all);
  }

  @Test
  void refusesTheRecordedHandshakeUnderAnyOtherNonce() throws IOException {
    byte[] stream = resource("fluent-bit-5.1.1-shared-key.bin");
    ForwardPipeline pipe = sharedKeyPipeline(hex("0f0e0d0c0b0a09080706050403020100")).write(stream);
    List<Value> replies = new ArrayList<>();
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(pipe.output())) {
      while (u.hasNext()) {
        replies.add(u.unpackValue());
      }
    }
    assertThat(replies).hasSize(2);
    assertThat(replies.get(1).toJson())
        .isEqualTo("[\"PONG\",false,\"shared_key mismatch\",\"\",\"\"]");
    assertThat(pipe.open()).isFalse();
    assertThat(pipe.received()).isZero();
    assertThat(pipe.rejected("handshake_failed")).isEqualTo(1.0);
  }

  @Test
  void refusesDataSentBeforeTheHandshake() throws IOException {
    ForwardPipeline pipe =
        sharedKeyPipeline(new byte[16]).write(resource("fluent-bit-5.1.1-ack.bin"));
    assertThat(pipe.open()).isFalse();
    assertThat(pipe.received()).isZero();
    assertThat(pipe.rejected("before_handshake")).isEqualTo(1.0);
    byte[] out = pipe.output();
    assertThat(hex(out)).contains(hex(concat("invalid ping message".getBytes("UTF-8"))));
  }
}
