package dev.firelensrouter.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the connection's byte stream into whole msgpack objects (Forward requests have no length
 * prefix) and passes each on as one heap {@code byte[]}: the single copy the events later point
 * into. Broken or oversized input becomes one {@link FrameRejected} and everything after it is
 * discarded.
 */
final class ForwardFrameDecoder extends ByteToMessageDecoder {
  private final MsgpackFrameScanner scanner;
  private final long maxFrame;
  private boolean failed;

  ForwardFrameDecoder(long maxFrame) {
    this.maxFrame = maxFrame;
    this.scanner = new MsgpackFrameScanner(maxFrame);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    while (in.isReadable()) {
      MsgpackFrameScanner.Result result = scanner.scan(in);
      switch (result) {
        case NEED_MORE -> {
          return;
        }
        case COMPLETE -> {
          byte[] frame = new byte[(int) scanner.frameLength()];
          in.readBytes(frame);
          out.add(frame);
        }
        case TOO_LONG -> {
          fail(
              in, out, new FrameRejected("frame_too_large", "frame exceeds max_frame " + maxFrame));
          return;
        }
        case MALFORMED -> {
          fail(in, out, new FrameRejected("malformed_msgpack", "not a msgpack object"));
          return;
        }
      }
    }
  }

  private void fail(ByteBuf in, List<Object> out, FrameRejected rejected) {
    failed = true;
    in.skipBytes(in.readableBytes());
    out.add(rejected);
  }
}
