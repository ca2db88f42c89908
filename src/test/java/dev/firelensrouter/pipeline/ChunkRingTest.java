package dev.firelensrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.ForwardChunk;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChunkRingTest {
  @Test
  void aFullRingRefusesAtOnceAndCallsBackWhenASlotFrees() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    ChunkConsumer slow =
        chunk -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          seen.add(chunk.tag());
        };
    try (ChunkRing ring = new ChunkRing(16, Duration.ofMillis(50), slow)) {
      ring.start();
      int published = 0;
      while (ring.tryPublish(chunk("t" + published))) {
        published++;
      }
      // The consumer holds one chunk, the ring the rest: nothing more goes in.
      assertThat(published).isBetween(16, 17);
      CountDownLatch space = new CountDownLatch(1);
      ring.awaitSpace(space::countDown);
      assertThat(space.getCount()).as("no space yet").isEqualTo(1);

      release.countDown();
      assertThat(space.await(10, TimeUnit.SECONDS)).as("space callback ran").isTrue();
      assertThat(ring.tryPublish(chunk("after"))).isTrue();
      assertThat(ring.drain(Duration.ofSeconds(10))).isTrue();
      assertThat(seen).hasSize(published + 1).endsWith("after");
      for (int i = 0; i < published; i++) {
        assertThat(seen.get(i)).isEqualTo("t" + i);
      }
    }
  }

  @Test
  void awaitSpaceRunsAtOnceWhenTheRingAlreadyHasRoom() {
    try (ChunkRing ring = new ChunkRing(16, Duration.ofMillis(50), chunk -> {})) {
      ring.start();
      boolean[] ran = {false};
      ring.awaitSpace(() -> ran[0] = true);
      assertThat(ran[0]).isTrue();
    }
  }

  @Test
  void aFailingConsumerDoesNotStopTheRing() throws Exception {
    CountDownLatch good = new CountDownLatch(1);
    ChunkConsumer consumer =
        chunk -> {
          if (chunk.tag().equals("bad")) {
            throw new IllegalStateException("boom");
          }
          good.countDown();
        };
    try (ChunkRing ring = new ChunkRing(16, Duration.ofMillis(50), consumer)) {
      ring.start();
      ring.tryPublish(chunk("bad"));
      ring.tryPublish(chunk("good"));
      assertThat(good.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static ForwardChunk chunk(String tag) {
    return new ForwardChunk(tag, List.of(), ChunkTicket.untracked());
  }
}
