package dev.firelensrouter.bench;

import dev.firelensrouter.ingest.ForwardStreamDecoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame scanning + request decoding of one connection's stream, single thread. Each operation
 * decodes one request of 1000 records of ~1 KiB; MB/s = ops/s x the sizes printed at setup (wire
 * bytes; for gzip also the inflated bytes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ForwardDecodeBenchmark {
  private static final int RECORDS = 1000;

  private final ForwardStreamDecoding decoding = new ForwardStreamDecoding(64L << 20);
  private ByteBuf packed;
  private ByteBuf compressed;
  private ByteBuf forward;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    byte[] entries = entries();
    packed = Unpooled.wrappedBuffer(request(entries, null));
    compressed = Unpooled.wrappedBuffer(request(gzip(entries), "gzip"));
    forward = Unpooled.wrappedBuffer(forwardRequest());
    System.out.printf(
        "%nbytes per op: packed_forward %d, compressed wire %d (inflated %d), forward %d%n",
        packed.readableBytes(),
        compressed.readableBytes(),
        entries.length,
        forward.readableBytes());
  }

  private static void record(MessageBufferPacker p, int i) throws IOException {
    p.packMapHeader(4);
    p.packString("container_id").packString("5f8a1c2d3e4b5f8a1c2d3e4b5f8a1c2d");
    p.packString("container_name").packString("/ecs-web-1");
    p.packString("source").packString("stdout");
    p.packString("log").packString(("GET /index.html 200 " + i + " ").repeat(60).substring(0, 920));
  }

  private static void eventTime(MessageBufferPacker p, int i) throws IOException {
    p.packExtensionTypeHeader((byte) 0, 8);
    p.writePayload(java.nio.ByteBuffer.allocate(8).putInt(1_700_000_000 + i).putInt(i).array());
  }

  private static byte[] entries() throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      for (int i = 0; i < RECORDS; i++) {
        p.packArrayHeader(2);
        eventTime(p, i);
        record(p, i);
      }
      return p.toByteArray();
    }
  }

  private static byte[] request(byte[] payload, String codec) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(3).packString("web-firelens-5f8a1c2d3e4b");
      p.packBinaryHeader(payload.length).writePayload(payload);
      p.packMapHeader(codec == null ? 2 : 3);
      p.packString("size").packInt(RECORDS);
      p.packString("chunk").packString("p8n9gmxTQVC8/nh2wlKKeQ==");
      if (codec != null) {
        p.packString("compressed").packString(codec);
      }
      return p.toByteArray();
    }
  }

  private static byte[] forwardRequest() throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packString("web-firelens-5f8a1c2d3e4b").packArrayHeader(RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        p.packArrayHeader(2).packArrayHeader(2);
        eventTime(p, i);
        p.packMapHeader(0);
        record(p, i);
      }
      return p.toByteArray();
    }
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private int run(ByteBuf stream, Blackhole bh) {
    ByteBuf view = stream.duplicate();
    int n = decoding.decode(view, bh::consume);
    if (n != RECORDS) {
      throw new IllegalStateException("decoded " + n);
    }
    return n;
  }

  @Benchmark
  public int packedForward(Blackhole bh) {
    return run(packed, bh);
  }

  @Benchmark
  public int compressedPackedForward(Blackhole bh) {
    return run(compressed, bh);
  }

  @Benchmark
  public int forwardMetadataForm(Blackhole bh) {
    return run(forward, bh);
  }
}
