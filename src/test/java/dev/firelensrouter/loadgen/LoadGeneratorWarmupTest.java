package dev.firelensrouter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The load generator leaves the round trips of its warm-up out of the latencies it reports (they
 * still show in the run's chart) and keeps every one without a warm-up, against a Forward server
 * that acks each request.
 */
class LoadGeneratorWarmupTest {
  private ServerSocket server;
  private final AtomicInteger requests = new AtomicInteger();

  /** Acks every PackedForward request by its chunk id, one thread per connection. */
  @BeforeEach
  void startAckingServer() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread t = new Thread(() -> ack(s));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    accept.setDaemon(true);
    accept.start();
  }

  private void ack(Socket s) {
    try (s;
        MessageUnpacker in =
            MessagePack.newDefaultUnpacker(new BufferedInputStream(s.getInputStream()))) {
      OutputStream out = s.getOutputStream();
      while (in.hasNext()) {
        List<Value> request = in.unpackValue().asArrayValue().list();
        String chunk =
            request.get(request.size() - 1).asMapValue().map().entrySet().stream()
                .filter(e -> e.getKey().toString().equals("chunk"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .toString();
        requests.incrementAndGet();
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packMapHeader(1).packString("ack").packString(chunk);
        out.write(p.toByteArray());
        out.flush();
      }
    } catch (IOException e) {
      // the client closed
    }
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private LoadGenerator run(Duration warmup) throws InterruptedException {
    LoadSpec spec =
        new LoadSpec(
            "127.0.0.1",
            server.getLocalPort(),
            null,
            0,
            100,
            2,
            LoadSpec.Mode.PACKED,
            true,
            10,
            Duration.ofMinutes(5),
            400,
            "app",
            Duration.ofSeconds(30),
            List.of(),
            warmup);
    LoadGenerator g = new LoadGenerator(spec);
    LoadResult r = g.run(progress -> {});
    assertThat(r.acked()).isEqualTo(400);
    return g;
  }

  @Test
  void withoutAWarmUpEveryRoundTripIsALatencySample() throws Exception {
    LoadGenerator g = run(Duration.ZERO);

    assertThat(requests.get()).isEqualTo(40);
    assertThat(g.latencies().count()).isEqualTo(40);
  }

  @Test
  void roundTripsWithinTheWarmUpAreLeftOut() throws Exception {
    // The 400 records go long before a 5-minute warm-up ends.
    LoadGenerator g = run(Duration.ofMinutes(5));

    assertThat(requests.get()).isEqualTo(40);
    assertThat(g.latencies().count()).isZero();
    assertThat(g.timeline().seconds()).as("the run's chart still shows them").isNotEmpty();
  }
}
