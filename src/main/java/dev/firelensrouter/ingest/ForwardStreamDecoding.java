package dev.firelensrouter.ingest;

import dev.firelensrouter.event.Event;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * The decode path of one connection without the network: frames a byte stream exactly like the
 * listener does and decodes every request. For benchmarks and tools (e.g. checking a capture).
 */
public final class ForwardStreamDecoding {
  private final MsgpackFrameScanner scanner;
  private final RequestDecoder decoder;

  public ForwardStreamDecoding(long maxFrame) {
    this.scanner = new MsgpackFrameScanner(maxFrame);
    this.decoder = new RequestDecoder(RequestDecoder.decompressedLimit(maxFrame));
  }

  /**
   * Decodes every complete request in {@code stream} (reading them), handing each accepted event to
   * {@code sink}; returns the number of events. Stops at the first frame that cannot be framed or
   * decoded and throws {@link IllegalArgumentException} with the reason.
   */
  public int decode(ByteBuf stream, Consumer<Event> sink) {
    int events = 0;
    while (stream.isReadable()) {
      MsgpackFrameScanner.Result r = scanner.scan(stream);
      if (r == MsgpackFrameScanner.Result.NEED_MORE) {
        return events;
      }
      if (r != MsgpackFrameScanner.Result.COMPLETE) {
        throw new IllegalArgumentException("cannot frame the stream: " + r);
      }
      byte[] frame = new byte[(int) scanner.frameLength()];
      stream.readBytes(frame);
      DecodedRequest request = decoder.decode(frame);
      if (request instanceof DecodedRequest.Invalid invalid) {
        throw new IllegalArgumentException(invalid.reason() + ": " + invalid.detail());
      }
      if (request instanceof DecodedRequest.Events e) {
        for (Event event : e.events()) {
          sink.accept(event);
        }
        events += e.events().size();
      }
    }
    return events;
  }
}
