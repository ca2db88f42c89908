package dev.firelensrouter.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** One Forward client connection: builds requests in the chosen mode and waits for acks. */
final class ForwardConnection implements AutoCloseable {
  private final LoadSpec spec;
  private final RecordFactory records;
  private final OutputStream out;
  private final InputStream in;
  private final java.io.Closeable socket;
  private final MessageBufferPacker packer = RecordFactory.packer();
  private final MessageBufferPacker entries = RecordFactory.packer();

  ForwardConnection(LoadSpec spec, int index) throws IOException {
    this.spec = spec;
    this.records = new RecordFactory(spec.recordSize(), index);
    if (spec.unixPath() != null) {
      SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(spec.unixPath()));
      this.socket = ch;
      this.out = Channels.newOutputStream(ch);
      this.in = Channels.newInputStream(ch);
    } else {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(spec.host(), spec.port()), 10_000);
      s.setSoTimeout((int) spec.ackTimeout().toMillis());
      this.socket = s;
      this.out = s.getOutputStream();
      this.in = s.getInputStream();
    }
  }

  /**
   * Sends records {@code firstSeq .. firstSeq+n-1} as one request (or n requests in Message mode);
   * with acks, waits for each. Returns the bytes written.
   */
  long send(long firstSeq, int n) throws IOException {
    long now = System.currentTimeMillis();
    if (spec.mode() == LoadSpec.Mode.MESSAGE) {
      long bytes = 0;
      for (int i = 0; i < n; i++) {
        packer.clear();
        packer.packArrayHeader(spec.ack() ? 4 : 3);
        packer.packString(spec.tag());
        RecordFactory.packTime(packer, now);
        records.packRecord(packer, firstSeq + i);
        String chunk = spec.ack() ? packOption(0) : null;
        bytes += write(chunk);
      }
      return bytes;
    }
    entries.clear();
    for (int i = 0; i < n; i++) {
      entries.packArrayHeader(2);
      records.packEntry(entries, firstSeq + i, now);
    }
    packer.clear();
    packer.packArrayHeader(3);
    packer.packString(spec.tag());
    switch (spec.mode()) {
      case FORWARD -> {
        packer.packArrayHeader(n);
        packer.writePayload(entries.toByteArray());
      }
      case PACKED -> {
        byte[] body = entries.toByteArray();
        packer.packBinaryHeader(body.length);
        packer.writePayload(body);
      }
      default -> {
        byte[] body = gzip(entries.toByteArray());
        packer.packBinaryHeader(body.length);
        packer.writePayload(body);
      }
    }
    return write(packOption(n));
  }

  /** Writes the option map (and returns the chunk id asked for, or null). */
  private String packOption(int size) throws IOException {
    boolean compressed = spec.mode() == LoadSpec.Mode.COMPRESSED;
    int fields = (spec.ack() ? 1 : 0) + (size > 0 ? 1 : 0) + (compressed ? 1 : 0);
    packer.packMapHeader(fields);
    String chunk = null;
    if (spec.ack()) {
      chunk = UUID.randomUUID().toString();
      packer.packString("chunk").packString(chunk);
    }
    if (size > 0) {
      packer.packString("size").packInt(size);
    }
    if (compressed) {
      packer.packString("compressed").packString("gzip");
    }
    return chunk;
  }

  private long write(String chunk) throws IOException {
    byte[] request = packer.toByteArray();
    out.write(request);
    out.flush();
    if (chunk != null) {
      awaitAck(chunk);
    }
    return request.length;
  }

  private void awaitAck(String chunk) throws IOException {
    MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(in);
    try {
      int size = unpacker.unpackMapHeader();
      String ack = null;
      for (int i = 0; i < size; i++) {
        String key = unpacker.unpackString();
        if (key.equals("ack")) {
          ack = unpacker.unpackString();
        } else {
          unpacker.skipValue();
        }
      }
      if (!chunk.equals(ack)) {
        throw new IOException("ack for another chunk: " + ack + " (expected " + chunk + ")");
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("no ack within " + spec.ackTimeout(), e);
    }
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
