package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.RunningRouter;
import java.io.IOException;
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
 * Drain, don't drop (ARCHITECTURE.md "Shutdown"): after the stop signal the router is not ready,
 * but a client that connects then (a Fluent Bit flushing its last chunks as it stops too, a Fluentd
 * that opens a connection per chunk) is still read and acked until the input deadline.
 */
class DrainKeepsAcceptingTest {
  @TempDir Path dir;

  @Test
  void aClientConnectingAfterTheStopSignalIsStillReadAndAcked() throws Exception {
    try (RunningRouter router = RunningRouter.start(dir, RunningRouter.fileOutputConfig(""))) {
      int port = router.forwardPort();
      try (Socket open = connect(port)) {
        open.getOutputStream().write(message(1, "before"));
        assertThat(open.getInputStream().readNBytes(ack("before").length)).isEqualTo(ack("before"));

        // The open connection keeps the drain reading; the grace is far longer than the test.
        CompletableFuture<ShutdownReport> drain =
            CompletableFuture.supplyAsync(() -> router.runtime().shutdown(Duration.ofSeconds(60)));
        Await.until(
            Duration.ofSeconds(10),
            () -> router.runtime().isDraining(),
            () -> "the router never started draining");

        try (Socket late = connect(port)) {
          late.getOutputStream().write(message(2, "late"));
          assertThat(late.getInputStream().readNBytes(ack("late").length))
              .as("the ack on a connection opened while draining")
              .isEqualTo(ack("late"));
        }
        open.getOutputStream().write(message(3, "after"));
        assertThat(open.getInputStream().readNBytes(ack("after").length)).isEqualTo(ack("after"));
        open.close();

        ShutdownReport report = drain.get(30, TimeUnit.SECONDS);
        assertThat(report.isClean()).as(report.summary()).isTrue();
      }
      assertThat(router.lines("drain.test")).hasSize(3);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
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
