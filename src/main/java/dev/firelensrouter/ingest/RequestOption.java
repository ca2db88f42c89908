package dev.firelensrouter.ingest;

import java.io.IOException;
import java.util.Arrays;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The option map of a request: the {@code chunk} to echo (as its raw msgpack bytes), the {@code
 * compressed} codec, {@code fluent_signal} and Message-mode {@code metadata}. {@code size} is only
 * a hint and, like unknown keys, ignored.
 */
record RequestOption(byte[] ack, String compressed, long signal, byte[] metadata) {
  static final RequestOption NONE = new RequestOption(null, null, 0, null);

  private static final byte[] ACK_PREFIX = {(byte) 0x81, (byte) 0xa3, 'a', 'c', 'k'};

  /** Reads the option value; {@code null} when it is neither a map nor nil. */
  static RequestOption read(MessageUnpacker u, byte[] buf, int base) throws IOException {
    ValueType type = u.getNextFormat().getValueType();
    if (type == ValueType.NIL) {
      u.unpackNil();
      return NONE;
    }
    if (type != ValueType.MAP) {
      u.skipValue();
      return null;
    }
    int n = u.unpackMapHeader();
    byte[] ack = null;
    String compressed = null;
    long signal = 0;
    byte[] metadata = null;
    for (int i = 0; i < n; i++) {
      if (u.getNextFormat().getValueType() != ValueType.STRING) {
        u.skipValue(2);
        continue;
      }
      String key = u.unpackString();
      ValueType vt = u.getNextFormat().getValueType();
      switch (key) {
        case "chunk" -> {
          int start = base + (int) u.getTotalReadBytes();
          u.skipValue();
          int end = base + (int) u.getTotalReadBytes();
          ack = Arrays.copyOf(ACK_PREFIX, ACK_PREFIX.length + end - start);
          System.arraycopy(buf, start, ack, ACK_PREFIX.length, end - start);
        }
        case "compressed" -> {
          if (vt == ValueType.STRING) {
            compressed = u.unpackString();
          } else {
            u.skipValue();
          }
        }
        case "fluent_signal" -> {
          if (vt == ValueType.INTEGER) {
            signal = u.unpackLong();
          } else {
            u.skipValue();
          }
        }
        case "metadata" -> {
          int start = base + (int) u.getTotalReadBytes();
          u.skipValue();
          int end = base + (int) u.getTotalReadBytes();
          if (vt == ValueType.MAP && (buf[start] & 0xff) != 0x80) {
            metadata = Arrays.copyOfRange(buf, start, end);
          }
        }
        default -> u.skipValue();
      }
    }
    return new RequestOption(ack, compressed, signal, metadata);
  }
}
