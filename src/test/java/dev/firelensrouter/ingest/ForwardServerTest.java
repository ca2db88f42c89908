package dev.firelensrouter.ingest;

import static dev.firelensrouter.ingest.ForwardTestSupport.awaitTrue;
import static dev.firelensrouter.ingest.ForwardTestSupport.counter;
import static dev.firelensrouter.ingest.ForwardTestSupport.hex;
import static dev.firelensrouter.ingest.ForwardTestSupport.pack;
import static dev.firelensrouter.ingest.ForwardTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.firelensrouter.config.ForwardInputConfig;
import dev.firelensrouter.config.ForwardInputConfig.AckMode;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkConsumer;
import dev.firelensrouter.pipeline.ChunkRing;
import dev.firelensrouter.pipeline.NettyLoops;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener over real loopback sockets, with a real ring and a consumer the test controls. */
class ForwardServerTest {
  private final NettyLoops loops = NettyLoops.create(2);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final BlockingQueue<ForwardChunk> chunks = new LinkedBlockingQueue<>();
  private ChunkRing ring;
  private ForwardServer server;

  @TempDir Path dir;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (ring != null) {
      ring.close();
    }
    loops.close();
  }

  private ForwardServer start(ForwardInputConfig config, ChunkConsumer consumer, int ringSize)
      throws Exception {
    ring = new ChunkRing(ringSize, Duration.ofMillis(50), consumer);
    ring.start();
    server = new ForwardServer(config, ring, loops, registry);
    server.start();
    return server;
  }

  private static ForwardInputConfig config(AckMode ack) {
    return ForwardTestSupport.config(Optional.empty(), "", 16L << 20, ack, 100, Optional.empty());
  }

  private Socket connect() throws IOException {
    InetSocketAddress a = server.tcpAddress().orElseThrow();
    Socket s = new Socket("127.0.0.1", a.getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  private static byte[] message(String tag, int i, String chunk) {
    return pack(
        p -> {
          p.packArrayHeader(chunk == null ? 3 : 4).packString(tag).packLong(1_700_000_000L + i);
          p.packMapHeader(1).packString("i").packInt(i);
          if (chunk != null) {
            p.packMapHeader(1).packString("chunk").packString(chunk);
          }
        });
  }

  private static byte[] ack(String chunk) {
    return pack(p -> p.packMapHeader(1).packString("ack").packString(chunk));
  }

  private static byte[] read(InputStream in, int n) throws IOException {
    return in.readNBytes(n);
  }

  private double received() {
    return counter(registry, "firelens_router_records_received", null, null);
  }

  @Test
  void acksLeaveInRequestOrderEvenWhenALaterChunkCompletesFirst() throws Exception {
    start(config(AckMode.DELIVERED), chunks::add, 64);
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(message("t", 1, "first"));
      out.write(message("t", 2, "second"));
      out.flush();
      ForwardChunk first = chunks.poll(10, TimeUnit.SECONDS);
      ForwardChunk second = chunks.poll(10, TimeUnit.SECONDS);
      assertThat(second).isNotNull();
      second.ticket().release(); // completes first, but must wait for "first"
      first.ticket().release();
      byte[] expected = ForwardTestSupport.concat(ack("first"), ack("second"));
      assertThat(hex(read(s.getInputStream(), expected.length))).isEqualTo(hex(expected));
    }
  }

  @Test
  void aFullRingStopsTheConnectionAndLosesNothingWhenItDrains() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong consumed = new AtomicLong();
    ChunkConsumer slow =
        chunk -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          consumed.addAndGet(chunk.events().size());
          chunk.ticket().release();
        };
    start(config(AckMode.DELIVERED), slow, 2);
    int requests = 200;
    String big = "x".repeat(100_000);
    try (Socket s = connect()) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = s.getOutputStream();
                  for (int i = 0; i < requests; i++) {
                    int n = i;
                    out.write(
                        pack(
                            p ->
                                p.packArrayHeader(4)
                                    .packString("t")
                                    .packLong(n)
                                    .packMapHeader(1)
                                    .packString("big")
                                    .packString(big)
                                    .packMapHeader(1)
                                    .packString("chunk")
                                    .packString("c" + n)));
                  }
                  out.flush();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      writer.start();
      // The consumer holds one slot, the ring has two: then the connection must stop reading.
      awaitTrue("the ring to fill", () -> received() >= 2);
      assertThat(received()).isLessThanOrEqualTo(3);
      assertThat(writer.isAlive()).as("client writes block while the ring is full").isTrue();
      assertThat(s.isClosed()).isFalse();
      release.countDown();
      writer.join(30_000);
      awaitTrue("every record", () -> consumed.get() == requests);
      InputStream in = s.getInputStream();
      for (int i = 0; i < requests; i++) {
        byte[] expected = ack("c" + i);
        assertThat(hex(read(in, expected.length))).isEqualTo(hex(expected));
      }
    }
    assertThat(received()).isEqualTo(requests);
  }

  @Test
  void acksOnReceiptWhenConfiguredSo() throws Exception {
    start(config(AckMode.RECEIVED), c -> {}, 64);
    try (Socket s = connect()) {
      s.getOutputStream().write(resource("fluent-bit-5.1.1-ack.bin"));
      byte[] one = read(s.getInputStream(), 10);
      assertThat(one).startsWith(0x81, 0xa3, 'a', 'c', 'k');
    }
  }

  @Test
  void malformedInputClosesOnlyItsOwnConnection() throws Exception {
    start(config(AckMode.RECEIVED), chunks::add, 64);
    try (Socket bad = connect();
        Socket good = connect()) {
      bad.getOutputStream().write(hex("93 a1 74 c1 c1 c1"));
      assertThat(bad.getInputStream().read()).isEqualTo(-1);
      good.getOutputStream().write(message("t", 1, "ok"));
      byte[] expected = ack("ok");
      assertThat(read(good.getInputStream(), expected.length)).isEqualTo(expected);
    }
    assertThat(
            counter(
                registry, "firelens_router_forward_rejected_frames", "reason", "malformed_msgpack"))
        .isEqualTo(1.0);
  }

  @Test
  void aStalledPartialRequestDoesNotHoldUpOtherConnections() throws Exception {
    start(config(AckMode.RECEIVED), chunks::add, 64);
    byte[] a1 = message("a", 1, "a1");
    try (Socket a = connect();
        Socket b = connect()) {
      try (Socket partial = connect()) {
        partial.getOutputStream().write(hex("93 a4 74 65 73 74"));
      } // catalogue 38: a partial frame, then EOF
      a.getOutputStream().write(java.util.Arrays.copyOf(a1, a1.length - 1));
      b.getOutputStream().write(message("b", 1, "b1"));
      assertThat(read(b.getInputStream(), ack("b1").length)).isEqualTo(ack("b1"));
      a.getOutputStream().write(a1, a1.length - 1, 1);
      a.getOutputStream().write(message("a", 2, "a2"));
      byte[] expected = ForwardTestSupport.concat(ack("a1"), ack("a2"));
      assertThat(read(a.getInputStream(), expected.length)).isEqualTo(expected);
    }
    awaitTrue("three records", () -> received() == 3);
  }

  @Test
  void refusesConnectionsBeyondTheLimit() throws Exception {
    ForwardInputConfig one =
        ForwardTestSupport.config(
            Optional.empty(), "", 1 << 20, AckMode.RECEIVED, 1, Optional.empty());
    start(one, chunks::add, 64);
    try (Socket first = connect()) {
      first.getOutputStream().write(message("t", 1, "a"));
      assertThat(read(first.getInputStream(), ack("a").length)).isEqualTo(ack("a"));
      assertThat(server.openConnections()).isEqualTo(1);
      try (Socket second = connect()) {
        assertThat(second.getInputStream().read()).isEqualTo(-1);
      }
      first.getOutputStream().write(message("t", 2, "b"));
      assertThat(read(first.getInputStream(), ack("b").length)).isEqualTo(ack("b"));
    }
    assertThat(
            counter(
                registry, "firelens_router_forward_rejected_frames", "reason", "connection_limit"))
        .isEqualTo(1.0);
  }

  @Test
  void keepsReadingOpenConnectionsAfterItStopsAccepting() throws Exception {
    start(config(AckMode.RECEIVED), chunks::add, 64);
    int port = server.tcpAddress().orElseThrow().getPort();
    try (Socket s = connect()) {
      s.getOutputStream().write(message("t", 1, "a"));
      assertThat(read(s.getInputStream(), ack("a").length)).isEqualTo(ack("a"));
      server.stopAccepting();
      s.getOutputStream().write(message("t", 2, "b"));
      assertThat(read(s.getInputStream(), ack("b").length)).isEqualTo(ack("b"));
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void answersFluentdUdpHeartbeats() throws Exception {
    start(config(AckMode.RECEIVED), chunks::add, 64);
    try (DatagramSocket udp = new DatagramSocket()) {
      udp.setSoTimeout(10_000);
      udp.send(new DatagramPacket(new byte[] {0}, 1, server.tcpAddress().orElseThrow()));
      DatagramPacket reply = new DatagramPacket(new byte[8], 8);
      udp.receive(reply);
      assertThat(reply.getLength()).isEqualTo(1);
      assertThat(reply.getData()[0]).isZero();
    }
  }

  @Test
  void acceptsRecordsOverAUnixSocketReplacingAStaleSocketFile() throws Exception {
    assumeTrue(loops.isNative(), "Unix sockets need the epoll transport");
    Path sock = dir.resolve("fluent.sock");
    Files.writeString(sock, "stale");
    ForwardInputConfig unix =
        ForwardTestSupport.config(
            Optional.of(sock), "", 1 << 20, AckMode.RECEIVED, 10, Optional.empty());
    start(unix, chunks::add, 64);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      ch.write(ByteBuffer.wrap(message("unix", 1, "u1")));
      byte[] got = Channels.newInputStream(ch).readNBytes(ack("u1").length);
      assertThat(got).isEqualTo(ack("u1"));
    }
    assertThat(chunks.poll(10, TimeUnit.SECONDS).tag()).isEqualTo("unix");
  }

  @Test
  void stopAcceptingClosesTheUnixSocketAndTheUdpHeartbeatButKeepsReadingOpenConnections()
      throws Exception {
    assumeTrue(loops.isNative(), "Unix sockets need the epoll transport");
    Path sock = dir.resolve("fluent.sock");
    ForwardInputConfig unix =
        ForwardTestSupport.config(
            Optional.of(sock), "", 1 << 20, AckMode.RECEIVED, 10, Optional.empty());
    start(unix, chunks::add, 64);
    InetSocketAddress tcp = server.tcpAddress().orElseThrow();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        DatagramSocket udp = new DatagramSocket()) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      server.stopAccepting();
      ch.write(ByteBuffer.wrap(message("unix", 1, "u1")));
      byte[] got = Channels.newInputStream(ch).readNBytes(ack("u1").length);
      assertThat(got).as("the ack on the connection open before").isEqualTo(ack("u1"));
      assertThatThrownBy(
              () -> {
                try (SocketChannel late = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                  late.connect(UnixDomainSocketAddress.of(sock));
                }
              })
          .isInstanceOf(IOException.class);
      assertThat(sock).doesNotExist();
      // A heartbeat to a closed port comes back as ICMP port unreachable on a connected socket.
      udp.setSoTimeout(10_000);
      udp.connect(tcp);
      udp.send(new DatagramPacket(new byte[] {0}, 1));
      assertThatThrownBy(() -> udp.receive(new DatagramPacket(new byte[8], 8)))
          .isInstanceOf(PortUnreachableException.class);
    }
  }

  @Test
  void acceptsRecordsOverTlsWithACertificateMadeForTheTest() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    openssl.getInputStream().readAllBytes();
    assumeTrue(openssl.waitFor() == 0, "openssl could not make a certificate");
    ForwardInputConfig tls =
        ForwardTestSupport.config(
            Optional.empty(),
            "",
            1 << 20,
            AckMode.RECEIVED,
            10,
            Optional.of(new ForwardInputConfig.Tls(cert, key)));
    start(tls, chunks::add, 64);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new TrustAll()}, null);
    InetSocketAddress a = server.tcpAddress().orElseThrow();
    try (Socket s = ctx.getSocketFactory().createSocket("127.0.0.1", a.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(message("tls", 1, "t1"));
      assertThat(read(s.getInputStream(), ack("t1").length)).isEqualTo(ack("t1"));
    }
    assertThat(chunks.poll(10, TimeUnit.SECONDS).tag()).isEqualTo("tls");
  }

  /** The test's own self-signed certificate is the only one this client ever sees. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
