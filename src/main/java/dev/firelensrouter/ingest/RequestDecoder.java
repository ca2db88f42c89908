package dev.firelensrouter.ingest;

import dev.firelensrouter.event.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Decodes one framed Forward request (Message, Forward, PackedForward, CompressedPackedForward, or
 * a {@code nil} heartbeat). Events keep pointing into the frame (or the inflated payload); only
 * non-empty metadata is copied. One instance per connection.
 */
final class RequestDecoder {
  private final long maxDecompressed;
  private final EntryDecoder entries = new EntryDecoder();

  /**
   * @param maxDecompressed the largest inflated CompressedPackedForward payload accepted
   */
  RequestDecoder(long maxDecompressed) {
    this.maxDecompressed = maxDecompressed;
  }

  /** The inflated-size cap for a given {@code max_frame}: 16 times it (256 MiB by default). */
  static long decompressedLimit(long maxFrame) {
    return Math.min(Integer.MAX_VALUE - 16L, 16L * maxFrame);
  }

  DecodedRequest decode(byte[] frame) {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
      return decode(u, frame);
    } catch (IOException | MessagePackException | IndexOutOfBoundsException e) {
      return new DecodedRequest.Invalid("malformed_msgpack", String.valueOf(e.getMessage()), true);
    }
  }

  private DecodedRequest decode(MessageUnpacker u, byte[] frame) throws IOException {
    ValueType top = u.getNextFormat().getValueType();
    if (top == ValueType.NIL) {
      return new DecodedRequest.Heartbeat();
    }
    if (top != ValueType.ARRAY) {
      return new DecodedRequest.Invalid("not_an_array", "request is a " + top, false);
    }
    int n = u.unpackArrayHeader();
    if (n < 2 || n > 4) {
      return invalid("invalid_request", "request array has " + n + " elements");
    }
    ValueType tagType = u.getNextFormat().getValueType();
    if (tagType != ValueType.STRING && tagType != ValueType.BINARY) {
      return invalid("invalid_tag", "tag is a " + tagType);
    }
    String tag =
        tagType == ValueType.STRING
            ? u.unpackString()
            : new String(
                u.readPayload(u.unpackBinaryHeader()), java.nio.charset.StandardCharsets.UTF_8);
    entries.resetCounts();
    ValueType second = u.getNextFormat().getValueType();
    return switch (second) {
      case ARRAY -> forward(u, frame, n, tag);
        // A 4-element request is Message mode (with a bad time); PackedForward has at most 3.
      case STRING, BINARY -> n == 4 ? message(u, frame, n, tag) : packed(u, frame, n, tag);
      default -> message(u, frame, n, tag);
    };
  }

  private DecodedRequest forward(MessageUnpacker u, byte[] frame, int n, String tag)
      throws IOException {
    if (n > 3) {
      return invalid("invalid_request", "forward mode request has " + n + " elements");
    }
    int count = u.unpackArrayHeader();
    // Never size a list from a count the client declared.
    List<Event> events = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      entries.readEntry(u, frame, 0, events);
    }
    RequestOption option = n == 3 ? RequestOption.read(u, frame, 0) : RequestOption.NONE;
    if (option == null) {
      return invalid("invalid_option", "option is not a map");
    }
    return finish(ForwardMode.FORWARD, tag, events, option);
  }

  private DecodedRequest message(MessageUnpacker u, byte[] frame, int n, String tag)
      throws IOException {
    if (n < 3) {
      return invalid("invalid_request", "message mode request has " + n + " elements");
    }
    boolean timeOk = entries.readTime(u, frame, 0);
    boolean isMap = u.getNextFormat().getValueType() == ValueType.MAP;
    int start = (int) u.getTotalReadBytes();
    u.skipValue();
    int end = (int) u.getTotalReadBytes();
    RequestOption option = n == 4 ? RequestOption.read(u, frame, 0) : RequestOption.NONE;
    if (option == null) {
      return invalid("invalid_option", "option is not a map");
    }
    List<Event> events = new ArrayList<>(1);
    if (timeOk && isMap) {
      events.add(
          new Event(
              entries.seconds(), entries.nanos(), frame, start, end - start, option.metadata()));
    } else {
      entries.invalid++;
    }
    return finish(ForwardMode.MESSAGE, tag, events, option);
  }

  private DecodedRequest packed(MessageUnpacker u, byte[] frame, int n, String tag)
      throws IOException {
    if (n > 3) {
      return invalid("invalid_request", "packed forward request has " + n + " elements");
    }
    int start = (int) u.getTotalReadBytes();
    int header = rawHeaderLength(frame[start] & 0xff);
    u.skipValue();
    int end = (int) u.getTotalReadBytes();
    RequestOption option = n == 3 ? RequestOption.read(u, frame, 0) : RequestOption.NONE;
    if (option == null) {
      return invalid("invalid_option", "option is not a map");
    }
    byte[] buf = frame;
    int off = start + header;
    int len = end - off;
    ForwardMode mode = ForwardMode.PACKED_FORWARD;
    String codec = option.compressed();
    if (codec == null || codec.equals("text")) {
      codec = Decompression.looksLikeGzip(buf, off, len) ? "gzip" : null;
    }
    if (codec != null) {
      mode = ForwardMode.COMPRESSED_PACKED_FORWARD;
      try {
        buf =
            switch (codec) {
              case "gzip" -> Decompression.gunzip(frame, off, len, maxDecompressed);
              case "zstd" -> Decompression.unzstd(frame, off, len, maxDecompressed);
              default -> null;
            };
      } catch (Decompression.TooLarge e) {
        return invalid("decompressed_too_large", e.getMessage());
      } catch (IOException | RuntimeException e) {
        return invalid("bad_compression", codec + ": " + e.getMessage());
      }
      if (buf == null) {
        return invalid("unsupported_compression", "compressed: " + codec);
      }
      off = 0;
      len = buf.length;
    }
    if (option.signal() == 1 || option.signal() == 2) {
      return new DecodedRequest.Signal(mode, (int) option.signal(), option.ack());
    }
    List<Event> events = new ArrayList<>(16);
    try (MessageUnpacker inner = MessagePack.newDefaultUnpacker(buf, off, len)) {
      while (inner.hasNext()) {
        entries.readEntry(inner, buf, off, events);
      }
    } catch (IOException | MessagePackException e) {
      return invalid("malformed_entries", "packed entries: " + e.getMessage());
    }
    return finish(mode, tag, events, option);
  }

  private DecodedRequest finish(
      ForwardMode mode, String tag, List<Event> events, RequestOption option) {
    if (option.signal() == 1 || option.signal() == 2) {
      return new DecodedRequest.Signal(mode, (int) option.signal(), option.ack());
    }
    return new DecodedRequest.Events(
        mode, tag, events, option.ack(), entries.invalid, entries.groupMarkers);
  }

  private static DecodedRequest invalid(String reason, String detail) {
    return new DecodedRequest.Invalid(reason, detail, true);
  }

  /** Bytes before the payload of a str or bin value starting with {@code b}. */
  private static int rawHeaderLength(int b) {
    return switch (b) {
      case 0xd9, 0xc4 -> 2;
      case 0xda, 0xc5 -> 3;
      case 0xdb, 0xc6 -> 5;
      default -> 1; // fixstr
    };
  }
}
