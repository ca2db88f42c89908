package dev.firelensrouter.route;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReloadUnderLoadTest {
  @Test
  void noRecordIsLostOrDuplicatedWhileTablesAreInstalledFromAnotherThread() throws Exception {
    RoutingFixture f = new RoutingFixture();
    String toA = "  - name: a\n    to: [a]\n";
    String toB = "  - name: b\n    match: { all: [ { field: n, gt: -1 } ] }\n    to: [b]\n";
    RouteTable[] tables = new RouteTable[40];
    for (int i = 0; i < tables.length; i++) {
      tables[i] = f.table(i % 2 == 0 ? toB : toA);
    }
    Router router = f.router(toA);
    int chunks = 2_000;
    int perChunk = 10;
    AtomicInteger acks = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread routerThread =
        new Thread(
            () -> {
              try {
                started.countDown();
                for (int c = 0; c < chunks; c++) {
                  Event[] events = new Event[perChunk];
                  for (int i = 0; i < perChunk; i++) {
                    events[i] = event(map("n", c * perChunk + i));
                  }
                  router.onChunk(
                      new ForwardChunk(
                          "app", List.of(events), new ChunkTicket(acks::incrementAndGet)));
                  if (c % 7 == 0) {
                    router.onEndOfBatch();
                  }
                }
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "router");
    routerThread.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    for (RouteTable t : tables) {
      router.install(t, Map.copyOf(f.outputs));
    }
    routerThread.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(failure.get()).isNull();
    assertThat(routerThread.isAlive()).isFalse();

    int total = chunks * perChunk;
    int delivered = f.outputs.get("a").events.size() + f.outputs.get("b").events.size();
    assertThat(delivered).isEqualTo(total);
    java.util.Set<String> seen = new java.util.HashSet<>();
    seen.addAll(f.outputs.get("a").fields("n"));
    seen.addAll(f.outputs.get("b").fields("n"));
    assertThat(seen).hasSize(total);
    f.outputs.values().forEach(RoutingFixture.Recorder::releaseAll);
    assertThat(acks.get()).isEqualTo(chunks);
  }
}
