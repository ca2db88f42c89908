package dev.firelensrouter.ingest;

import io.netty.buffer.ByteBuf;

/**
 * Finds where one complete msgpack object ends in a byte stream that arrives in pieces. It keeps
 * only a stack of "values still missing" per open container, so a frame split over many reads is
 * walked once, nested structure is skipped without being built, and nothing is ever allocated from
 * a length the client declared: an oversized or never-ending frame fails on {@code maxFrame}.
 */
final class MsgpackFrameScanner {
  /** Nesting deeper than this is refused; no legitimate Forward request comes close. */
  static final int MAX_DEPTH = 256;

  /** What {@link #scan} found. */
  enum Result {
    /** More bytes are needed. */
    NEED_MORE,
    /** A whole object ends at {@link #frameLength()}. */
    COMPLETE,
    /** The object is or will be larger than the limit. */
    TOO_LONG,
    /** Not msgpack (the never-used byte 0xc1, or nesting too deep). */
    MALFORMED
  }

  private final long maxFrame;
  private final long[] missing = new long[MAX_DEPTH];
  private int depth;
  private long scanned;
  private long frameLength;

  MsgpackFrameScanner(long maxFrame) {
    this.maxFrame = maxFrame;
  }

  /** Length of the frame found by the last {@link Result#COMPLETE}. */
  long frameLength() {
    return frameLength;
  }

  /**
   * Continues scanning the object that starts at {@code in.readerIndex()}. Does not move the reader
   * index; after COMPLETE the scanner is reset for the next frame.
   */
  Result scan(ByteBuf in) {
    int start = in.readerIndex();
    long available = in.readableBytes();
    while (true) {
      if (scanned >= available) {
        return scanned > maxFrame ? Result.TOO_LONG : Result.NEED_MORE;
      }
      int pos = (int) (start + scanned);
      int b = in.getUnsignedByte(pos);
      long header;
      long payload = 0;
      long children = -1;
      if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
        header = 1;
      } else if (b >= 0x80 && b <= 0x8f) {
        header = 1;
        children = 2L * (b & 0x0f);
      } else if (b >= 0x90 && b <= 0x9f) {
        header = 1;
        children = b & 0x0f;
      } else if (b >= 0xa0 && b <= 0xbf) {
        header = 1;
        payload = b & 0x1f;
      } else {
        switch (b) {
          case 0xc1 -> {
            return Result.MALFORMED;
          }
          case 0xc4, 0xd9 -> {
            header = 2;
            if (available - scanned < 2) {
              return needMore();
            }
            payload = in.getUnsignedByte(pos + 1);
          }
          case 0xc5, 0xda -> {
            header = 3;
            if (available - scanned < 3) {
              return needMore();
            }
            payload = in.getUnsignedShort(pos + 1);
          }
          case 0xc6, 0xdb -> {
            header = 5;
            if (available - scanned < 5) {
              return needMore();
            }
            payload = in.getUnsignedInt(pos + 1);
          }
          case 0xc7 -> {
            header = 3;
            if (available - scanned < 2) {
              return needMore();
            }
            payload = in.getUnsignedByte(pos + 1);
          }
          case 0xc8 -> {
            header = 4;
            if (available - scanned < 3) {
              return needMore();
            }
            payload = in.getUnsignedShort(pos + 1);
          }
          case 0xc9 -> {
            header = 6;
            if (available - scanned < 5) {
              return needMore();
            }
            payload = in.getUnsignedInt(pos + 1);
          }
          case 0xca, 0xce, 0xd2 -> header = 5;
          case 0xcb, 0xcf, 0xd3 -> header = 9;
          case 0xcc, 0xd0 -> header = 2;
          case 0xcd, 0xd1 -> header = 3;
          case 0xd4 -> header = 3;
          case 0xd5 -> header = 4;
          case 0xd6 -> header = 6;
          case 0xd7 -> header = 10;
          case 0xd8 -> header = 18;
          case 0xdc -> {
            header = 3;
            if (available - scanned < 3) {
              return needMore();
            }
            children = in.getUnsignedShort(pos + 1);
          }
          case 0xdd -> {
            header = 5;
            if (available - scanned < 5) {
              return needMore();
            }
            children = in.getUnsignedInt(pos + 1);
          }
          case 0xde -> {
            header = 3;
            if (available - scanned < 3) {
              return needMore();
            }
            children = 2L * in.getUnsignedShort(pos + 1);
          }
          case 0xdf -> {
            header = 5;
            if (available - scanned < 5) {
              return needMore();
            }
            children = 2L * in.getUnsignedInt(pos + 1);
          }
          default -> throw new AssertionError("unhandled msgpack byte " + b);
        }
      }
      long end = scanned + header + payload;
      if (end > maxFrame) {
        return Result.TOO_LONG;
      }
      if (end > available) {
        return Result.NEED_MORE;
      }
      scanned = end;
      if (children > 0) {
        if (depth == MAX_DEPTH) {
          return Result.MALFORMED;
        }
        missing[depth++] = children;
        continue;
      }
      if (valueDone()) {
        frameLength = scanned;
        scanned = 0;
        return Result.COMPLETE;
      }
    }
  }

  private Result needMore() {
    return scanned > maxFrame ? Result.TOO_LONG : Result.NEED_MORE;
  }

  /** Counts one finished value against the open containers; true when the frame is complete. */
  private boolean valueDone() {
    while (depth > 0) {
      if (--missing[depth - 1] > 0) {
        return false;
      }
      depth--;
    }
    return true;
  }
}
