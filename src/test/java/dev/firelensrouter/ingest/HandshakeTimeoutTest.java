package dev.firelensrouter.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkRing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandshakeTimeoutTest {
  @Test
  void closesAConnectionThatSendsNoPingWithinTheHandshakeTimeout() {
    LinkedBlockingQueue<ForwardChunk> chunks = new LinkedBlockingQueue<>();
    try (ChunkRing ring = new ChunkRing(8, Duration.ofMillis(50), chunks::add)) {
      ForwardPipeline pipe =
          new ForwardPipeline(
              ring,
              chunks,
              1 << 20,
              metrics ->
                  new HandshakeHandler(
                      new SharedKeyHandshake("k", "server", List.of()),
                      NonceSource.secureRandom(),
                      Duration.ofSeconds(5),
                      metrics));
      pipe.channel.advanceTimeBy(4, TimeUnit.SECONDS);
      pipe.channel.runScheduledPendingTasks();
      assertThat(pipe.open()).isTrue();
      pipe.channel.advanceTimeBy(2, TimeUnit.SECONDS);
      pipe.channel.runScheduledPendingTasks();
      assertThat(pipe.open()).isFalse();
      assertThat(pipe.rejected("handshake_timeout")).isEqualTo(1.0);
    }
  }
}
