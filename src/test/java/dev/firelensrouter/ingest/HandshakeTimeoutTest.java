package dev.firelensrouter.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkRing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

class HandshakeTimeoutTest {
  @Test
  void aConnectionThatSendsNoPingWithinTheHandshakeTimeoutGetsPongFalseAndIsClosed()
      throws IOException {
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
      assertThat(replies(pipe)).as("only the HELO so far").hasSize(1);
      pipe.channel.advanceTimeBy(2, TimeUnit.SECONDS);
      pipe.channel.runScheduledPendingTasks();
      assertThat(pipe.open()).isFalse();
      assertThat(replies(pipe))
          .element(1)
          .isEqualTo("[\"PONG\",false,\"handshake timeout: no PING within 5000 ms\",\"\",\"\"]");
      assertThat(pipe.rejected("handshake_timeout")).isEqualTo(1.0);
    }
  }

  /** Every msgpack value the server wrote, as JSON: the HELO first. */
  private static List<String> replies(ForwardPipeline pipe) throws IOException {
    List<String> values = new ArrayList<>();
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(pipe.output())) {
      while (u.hasNext()) {
        values.add(u.unpackValue().toJson());
      }
    }
    return values;
  }
}
