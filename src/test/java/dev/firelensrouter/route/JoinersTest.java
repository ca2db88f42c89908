package dev.firelensrouter.route;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static dev.firelensrouter.route.RoutingFixture.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.RecordFields;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JoinersTest {
  private static final String TAG = "app-firelens-0123456789abcdef";
  private final RoutingFixture f = new RoutingFixture();

  private static Event part(String id, int ordinal, boolean last, String log) {
    return event(
        map(
            "container_name",
            "/app",
            "source",
            "stdout",
            "log",
            log,
            "partial_message",
            "true",
            "partial_id",
            id,
            "partial_ordinal",
            String.valueOf(ordinal),
            "partial_last",
            String.valueOf(last)));
  }

  @Test
  void joinsDockerPartialMessagesByDefaultAndAcksOnlyAfterTheJoinedRecordIsTaken() {
    Router router = f.router("  - name: all\n    to: [a]\n");
    AtomicInteger acks = new AtomicInteger();
    router.onChunk(chunk(TAG, new ChunkTicket(acks::incrementAndGet), part("p1", 1, false, "aaa")));
    router.onChunk(
        chunk(
            TAG,
            new ChunkTicket(acks::incrementAndGet),
            part("p1", 2, false, "bbb"),
            part("p1", 3, true, "ccc")));
    Event first = f.outputs.get("a").events.get(0);
    assertThat(RecordFields.text(first, "log")).isEqualTo("aaabbbccc");
    assertThat(acks.get()).isZero();
    f.outputs.get("a").releaseAll();
    assertThat(acks.get()).isEqualTo(2);
  }

  @Test
  void joinedRecordKeepsOtherFieldsAndLosesThePartialMarkers() {
    Router router = f.router("  - name: all\n    to: [a]\n");
    router.onChunk(
        chunk(
            TAG,
            ChunkTicket.untracked(),
            part("p1", 2, false, "bbb"),
            part("p1", 1, false, "aaa"),
            part("p1", 3, true, "ccc"),
            event(map("log", "whole"))));
    assertThat(f.outputs.get("a").json())
        .containsExactly(
            "{\"container_name\":\"/app\",\"source\":\"stdout\",\"log\":\"aaabbbccc\"}",
            "{\"log\":\"whole\"}");
  }

  @Test
  void aGroupThatTimesOutGoesOnIncompleteAndIsCounted() {
    Router router = f.router("  - name: all\n    to: [a]\n");
    AtomicInteger acks = new AtomicInteger();
    router.onChunk(chunk(TAG, new ChunkTicket(acks::incrementAndGet), part("p9", 1, false, "x")));
    router.onIdle();
    assertThat(f.outputs.get("a").events).isEmpty();
    assertThat(router.routeStats().get(0).held()).isEqualTo(1);
    f.clock.advance(Duration.ofSeconds(6));
    router.onIdle();
    assertThat(router.routeStats().get(0).held()).isZero();
    assertThat(f.outputs.get("a").fields("log")).containsExactly("x");
    assertThat(router.routerStats()).containsEntry("partial_incomplete", 1L);
    f.outputs.get("a").releaseAll();
    assertThat(acks.get()).isEqualTo(1);
  }

  @Test
  void reassemblyCanBeTurnedOff() {
    Router router =
        f.router("  - name: all\n    transform: [ { reassemble_partial: false } ]\n    to: [a]\n");
    router.onChunk(chunk(TAG, ChunkTicket.untracked(), part("p1", 1, false, "aaa")));
    assertThat(f.outputs.get("a").events).hasSize(1);
  }

  @Test
  void multilineJoinsStackTracesIntoTheStartingLine() {
    Router router =
        f.router(
            """
              - name: java
                transform:
                  - multiline: { start: "^\\\\d{4}-", field: log, timeout: 2s, max_lines: 3 }
                to: [a]
            """);
    router.onChunk(
        chunk(
            TAG,
            ChunkTicket.untracked(),
            event(map("log", "2026-01-01 ERROR boom", "source", "stderr")),
            event(map("log", "  at A.b(A.java:1)", "source", "stderr")),
            event(map("log", "2026-01-01 INFO next", "source", "stdout")),
            event(map("log", "  at B.c(B.java:2)", "source", "stderr")),
            event(map("log", "2026-01-01 INFO third", "source", "stderr"))));
    assertThat(f.outputs.get("a").fields("log"))
        .containsExactly("2026-01-01 ERROR boom\n  at A.b(A.java:1)\n  at B.c(B.java:2)");
    f.clock.advance(Duration.ofSeconds(3));
    router.onEndOfBatch();
    assertThat(f.outputs.get("a").fields("log"))
        .containsExactlyInAnyOrder(
            "2026-01-01 ERROR boom\n  at A.b(A.java:1)\n  at B.c(B.java:2)",
            "2026-01-01 INFO next",
            "2026-01-01 INFO third");
  }

  @Test
  void heldRecordsGoOnWhenANewTableIsInstalled() {
    Router router =
        f.router("  - name: m\n    transform: [ { multiline: { start: \"^S\" } } ]\n    to: [a]\n");
    router.onChunk(chunk(TAG, ChunkTicket.untracked(), event(map("log", "S1"))));
    assertThat(f.outputs.get("a").events).isEmpty();
    router.install(f.table("  - name: n\n    to: [b]\n"), java.util.Map.copyOf(f.outputs));
    router.onEndOfBatch();
    assertThat(f.outputs.get("a").fields("log")).containsExactly("S1");
  }
}
