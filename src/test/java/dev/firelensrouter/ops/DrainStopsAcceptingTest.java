package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.RunningRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * At the stop signal the listeners close first: a client that reconnects cannot hold the drain open
 * until the input deadline, while the connections already open are still read and acked.
 */
class DrainStopsAcceptingTest {
  @TempDir Path dir;

  @Test
  void aNewConnectionAfterTheStopSignalIsRefusedWhileAnOpenOneStillGetsItsAck() throws Exception {
    try (RunningRouter router = RunningRouter.start(dir, RunningRouter.fileOutputConfig(""))) {
      int port = router.forwardPort();
      try (Socket open = connect(port)) {
        open.getOutputStream().write(message(1, "before"));
        assertThat(open.getInputStream().readNBytes(ack("before").length)).isEqualTo(ack("before"));

        // The grace is long, so only stopping the listeners at once can refuse a connection soon.
        CompletableFuture<ShutdownReport> drain =
            CompletableFuture.supplyAsync(() -> router.runtime().shutdown(Duration.ofSeconds(60)));
        Await.until(
            Duration.ofSeconds(10),
            () -> refused(port),
            () -> "the forward port still accepts connections while draining");

        open.getOutputStream().write(message(2, "after"));
        assertThat(open.getInputStream().readNBytes(ack("after").length))
            .as("the ack on the connection open before the signal")
            .isEqualTo(ack("after"));
        open.close();

        ShutdownReport report = drain.get(30, TimeUnit.SECONDS);
        assertThat(report.isClean()).as(report.summary()).isTrue();
      }
      assertThat(router.lines("drain.test")).hasSize(2);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Whether a connection to the forward port is refused (one accepted is closed at once). */
  private static boolean refused(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Message-mode request with a chunk id, so the router acks it. */
  private static byte[] message(int seq, String chunk) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(4).packString("drain.test").packLong(1_700_000_000L + seq);
      p.packMapHeader(1).packString("seq").packInt(seq);
      p.packMapHeader(1).packString("chunk").packString(chunk);
      return p.toByteArray();
    }
  }

  private static byte[] ack(String chunk) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(1).packString("ack").packString(chunk);
      return p.toByteArray();
    }
  }
}
