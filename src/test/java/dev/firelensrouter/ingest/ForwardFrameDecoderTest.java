package dev.firelensrouter.ingest;

import static dev.firelensrouter.ingest.ForwardTestSupport.concat;
import static dev.firelensrouter.ingest.ForwardTestSupport.hex;
import static dev.firelensrouter.ingest.ForwardTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ForwardFrameDecoderTest {
  private static final long MAX = 16L << 20;

  static List<String> fixtures() {
    List<String> all = new ArrayList<>(ForwardTestSupport.FIXTURES);
    all.add("fluent-bit-5.1.1-shared-key.bin");
    return all;
  }

  private static List<Object> feed(long max, byte[]... pieces) {
    EmbeddedChannel ch = new EmbeddedChannel(new ForwardFrameDecoder(max));
    for (byte[] piece : pieces) {
      ch.writeInbound(Unpooled.wrappedBuffer(piece));
    }
    List<Object> out = new ArrayList<>();
    Object o;
    while ((o = ch.readInbound()) != null) {
      out.add(o);
    }
    ch.finishAndReleaseAll();
    return out;
  }

  private static byte[] joined(List<Object> frames) {
    return concat(frames.stream().map(f -> (byte[]) f).toArray(byte[][]::new));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void findsTheSameFramesWhereverARecordedStreamIsSplit(String fixture) {
    byte[] stream = resource(fixture);
    List<Object> whole = feed(MAX, stream);
    assertThat(whole).allMatch(f -> f instanceof byte[]);
    assertThat(joined(whole)).isEqualTo(stream);
    for (int cut = 1; cut < stream.length; cut++) {
      List<Object> split =
          feed(
              MAX,
              Arrays.copyOfRange(stream, 0, cut),
              Arrays.copyOfRange(stream, cut, stream.length));
      assertThat(split).as("split at %d", cut).hasSameSizeAs(whole);
      assertThat(joined(split)).isEqualTo(stream);
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void findsEveryFrameWhenTheStreamArrivesOneByteAtATime(String fixture) {
    byte[] stream = resource(fixture);
    byte[][] bytes = new byte[stream.length][];
    for (int i = 0; i < stream.length; i++) {
      bytes[i] = new byte[] {stream[i]};
    }
    assertThat(joined(feed(MAX, bytes))).isEqualTo(stream);
  }

  @Test
  void separatesSeveralFramesCoalescedInOneRead() {
    byte[] message =
        hex("93 a5 74 61 67 2e 61 ce 55 ec e6 f8 81 a7 6d 65 73 73 61 67 65 a3 62 61 72");
    byte[] nil = hex("c0");
    List<Object> frames = feed(MAX, concat(message, nil, message, message));
    assertThat(frames).hasSize(4);
    assertThat((byte[]) frames.get(1)).containsExactly(0xc0);
    assertThat((byte[]) frames.get(3)).isEqualTo(message);
  }

  @Test
  void refusesAFrameLargerThanMaxFrameWithoutWaitingForItsEnd() {
    // bin32 declaring 1 GiB: refused from the header alone, nothing allocated for it.
    List<Object> out = feed(1024, hex("92 a1 74 c6 40 00 00 00 00 01 02"));
    assertThat(out).singleElement().isInstanceOf(FrameRejected.class);
    assertThat(((FrameRejected) out.get(0)).reason()).isEqualTo("frame_too_large");
  }

  @Test
  void refusesAHugeDeclaredArrayOnceItsBytesPassMaxFrame() {
    byte[] header = hex("92 a4 74 65 73 74 dd ff ff ff ff");
    assertThat(feed(1024, header, new byte[500])).isEmpty();
    List<Object> out = feed(1024, header, new byte[2000]);
    assertThat(out).singleElement().isInstanceOf(FrameRejected.class);
  }

  @Test
  void refusesBytesThatAreNotMsgpackAndDiscardsTheRest() {
    List<Object> out = feed(MAX, hex("c0 c1 c0 c0"));
    assertThat(out).hasSize(2);
    assertThat(out.get(1))
        .isEqualTo(new FrameRejected("malformed_msgpack", "not a msgpack object"));
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    byte[] deep = new byte[MsgpackFrameScanner.MAX_DEPTH + 2];
    Arrays.fill(deep, (byte) 0x91);
    assertThat(feed(MAX, deep)).singleElement().isInstanceOf(FrameRejected.class);
  }
}
