package dev.firelensrouter.route;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static dev.firelensrouter.route.RoutingFixture.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final String NGINX = "nginx-firelens-0123456789abcdef";
  private static final String APP = "app-firelens-0123456789abcdef";
  private final RoutingFixture f = new RoutingFixture();

  @Test
  void firstMatchingRouteWinsAndACatchAllTakesTheRest() {
    Router router =
        f.router(
            """
              - name: nginx
                match: { tag: "nginx-firelens-*" }
                to: [a]
              - name: rest
                to: [b]
            """);
    router.onChunk(chunk(NGINX, ChunkTicket.untracked(), event(map("log", "1"))));
    router.onChunk(chunk(APP, ChunkTicket.untracked(), event(map("log", "2"))));
    assertThat(f.outputs.get("a").fields("log")).containsExactly("1");
    assertThat(f.outputs.get("b").fields("log")).containsExactly("2");
  }

  @Test
  void continueFansOutToLaterRoutesAndOneRouteCanSendToSeveralOutputs() {
    Router router =
        f.router(
            """
              - name: errors
                match:
                  any:
                    - { field: log, matches: "ERROR|FATAL" }
                to: [a, b]
                continue: true
              - name: default
                to: [c]
            """);
    router.onChunk(
        chunk(
            APP, ChunkTicket.untracked(), event(map("log", "x ERROR y")), event(map("log", "ok"))));
    assertThat(f.outputs.get("a").fields("log")).containsExactly("x ERROR y");
    assertThat(f.outputs.get("b").fields("log")).containsExactly("x ERROR y");
    assertThat(f.outputs.get("c").events).hasSize(2);
  }

  @Test
  void recordsNoRouteTakesAreCountedAsUnrouted() {
    Router router =
        f.router(
            """
              - name: nginx
                match: { tag: "nginx-*", all: [ { field: source, equals: stdout } ] }
                to: [a]
            """);
    router.onChunk(
        chunk(
            NGINX,
            ChunkTicket.untracked(),
            event(map("source", "stderr")),
            event(map("source", "stdout"))));
    router.onChunk(chunk(APP, ChunkTicket.untracked(), event(map("source", "stdout"))));
    assertThat(f.outputs.get("a").events).hasSize(1);
    assertThat(f.dropped("unrouted")).isEqualTo(2.0);
  }

  @Test
  void acksOnlyAfterEveryDestinationReleasedItsHold() {
    Router router =
        f.router(
            """
              - name: both
                to: [a, b]
            """);
    AtomicInteger acks = new AtomicInteger();
    ChunkTicket ticket = new ChunkTicket(acks::incrementAndGet);
    router.onChunk(chunk(APP, ticket, event(map("log", "1")), event(map("log", "2"))));
    assertThat(acks.get()).isZero();
    f.outputs.get("a").releaseAll();
    assertThat(acks.get()).isZero();
    f.outputs.get("b").releaseAll();
    assertThat(acks.get()).isEqualTo(1);
  }

  @Test
  void aRecordNoTransformTouchesIsHandedOnAsTheSameEvent() {
    Router router = f.router("  - name: all\n    to: [a]\n");
    Event e = event(map("log", "x"));
    router.onChunk(chunk(APP, ChunkTicket.untracked(), e));
    assertThat(f.outputs.get("a").events.get(0)).isSameAs(e);
  }

  @Test
  void transformsChangeTheRecordInOrder() {
    Router router =
        f.router(
            """
              - name: t
                transform:
                  - parse_json: log
                  - set: { env: prod, where: "{{ tag }}" }
                  - rename: { level: severity }
                  - remove: [ secret ]
                  - redact: { field: msg, pattern: "\\\\d{4}-\\\\d{4}", replacement: "XXXX" }
                to: [a]
            """);
    router.onChunk(
        chunk(
            APP,
            ChunkTicket.untracked(),
            event(map("log", "{\"level\":\"warn\",\"msg\":\"card 1234-5678\"}", "secret", "s"))));
    Event out = f.outputs.get("a").events.get(0);
    assertThat(text(out, "severity")).isEqualTo("warn");
    assertThat(text(out, "level")).isNull();
    assertThat(text(out, "msg")).isEqualTo("card XXXX");
    assertThat(text(out, "env")).isEqualTo("prod");
    assertThat(text(out, "where")).isEqualTo(APP);
    assertThat(text(out, "secret")).isNull();
  }

  @Test
  void parseJsonLeavesValuesThatAreNotJsonAloneAndCountsThem() {
    Router router =
        f.router(
            """
              - name: t
                transform:
                  - parse_json: { field: log, into: parsed }
                to: [a]
            """);
    router.onChunk(
        chunk(
            APP,
            ChunkTicket.untracked(),
            event(map("log", "not json")),
            event(map("log", "{\"a\": {\"b\": 1}}"))));
    assertThat(f.outputs.get("a").events).hasSize(2);
    assertThat(text(f.outputs.get("a").events.get(0), "log")).isEqualTo("not json");
    assertThat(text(f.outputs.get("a").events.get(1), "parsed.a.b")).isEqualTo("1");
    assertThat(router.routerStats()).containsEntry("parse_json_not_json", 1L);
  }

  @Test
  void samplingKeepsTheSameRecordsEveryTimeAndCountsTheRest() {
    String routes =
        """
          - name: s
            transform:
              - sample: { one_in: 4 }
            to: [a]
        """;
    Router router = f.router(routes);
    Event[] events = new Event[400];
    for (int i = 0; i < events.length; i++) {
      events[i] = event(map("log", "line " + i));
    }
    router.onChunk(chunk(APP, ChunkTicket.untracked(), events));
    List<String> first = f.outputs.get("a").json();
    assertThat(first.size()).isBetween(60, 140);
    assertThat(f.dropped("sampled")).isEqualTo(400.0 - first.size());
    RoutingFixture again = new RoutingFixture();
    again.router(routes).onChunk(chunk(APP, ChunkTicket.untracked(), events));
    assertThat(again.outputs.get("a").json()).isEqualTo(first);
  }

  @Test
  void rateLimitDropsBeyondTheBurstPerKeyAndRefillsWithTime() {
    Router router =
        f.router(
            """
              - name: r
                transform:
                  - rate_limit: { per_second: 2, burst: 3, key: "{{ container }}" }
                to: [a]
            """);
    for (int i = 0; i < 5; i++) {
      router.onChunk(
          chunk(
              APP,
              ChunkTicket.untracked(),
              event(map("container", "x")),
              event(map("container", "y"))));
    }
    assertThat(f.outputs.get("a").events).hasSize(6);
    assertThat(f.dropped("rate_limited")).isEqualTo(4.0);
    f.clock.advance(java.time.Duration.ofSeconds(1));
    router.onChunk(
        chunk(
            APP,
            ChunkTicket.untracked(),
            event(map("container", "x")),
            event(map("container", "x")),
            event(map("container", "x"))));
    assertThat(f.outputs.get("a").events).hasSize(8);
  }

  @Test
  void installedTableTakesEffectAtTheNextChunk() {
    Router router = f.router("  - name: first\n    to: [a]\n");
    router.onChunk(chunk(APP, ChunkTicket.untracked(), event(map("log", "1"))));
    router.install(
        f.table("  - name: second\n    to: [b]\n"),
        f.outputs.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(e -> e.getKey(), e -> e.getValue())));
    router.onChunk(chunk(APP, ChunkTicket.untracked(), event(map("log", "2"))));
    assertThat(f.outputs.get("a").fields("log")).containsExactly("1");
    assertThat(f.outputs.get("b").fields("log")).containsExactly("2");
    assertThat(router.routeStats()).extracting(RouteStats::name).containsExactly("second");
  }

  @Test
  void countsPerRouteForTheRoutesPage() {
    Router router =
        f.router(
            """
              - name: s
                match: { tag: "app-*" }
                transform: [ { sample: { one_in: 1000000 } } ]
                to: [a]
              - name: rest
                to: [b]
            """);
    router.onChunk(chunk(APP, ChunkTicket.untracked(), event(map("log", "1"))));
    router.onChunk(chunk(NGINX, ChunkTicket.untracked(), event(map("log", "2"))));
    RouteStats s = router.routeStats().get(0);
    assertThat(s.matched()).isEqualTo(1);
    assertThat(s.dropped() + s.sent()).isEqualTo(1);
    assertThat(router.routeStats().get(1).sent()).isEqualTo(1);
  }

  @Test
  void badRecordsAreRoutedByTheRulesWithoutThrowing() {
    Router router =
        f.router(
            """
              - name: cond
                match: { all: [ { field: log, equals: x } ] }
                transform: [ { parse_json: log }, { set: { a: b } } ]
                to: [a]
              - name: rest
                transform: [ { parse_json: log }, { set: { a: b } } ]
                to: [b]
            """);
    byte[] truncated =
        java.util.Arrays.copyOf(dev.firelensrouter.event.TestRecords.pack(map("log", "x")), 3);
    byte[] deep = new byte[200_001];
    java.util.Arrays.fill(deep, 0, 200_000, (byte) 0x81);
    for (int i = 0; i < 200_000; i += 2) {
      deep[i] = (byte) 0x81;
      deep[i + 1] = (byte) 0xa0;
    }
    deep[200_000] = 0x01;
    String big = "y".repeat(5 << 20);
    router.onChunk(
        chunk(
            APP,
            ChunkTicket.untracked(),
            event("a string, not a map"),
            new Event(0, 0, truncated),
            new Event(0, 0, new byte[0]),
            new Event(0, 0, deep),
            event(map("log", new byte[] {(byte) 0xff, (byte) 0xfe})),
            event(map("log", big))));
    assertThat(f.outputs.get("b").events).hasSize(6);
    assertThat(router.routerStats().get("record_not_a_map")).isEqualTo(2L);
  }

  @Test
  void enrichEcsAddsTheTaskFieldsToEveryRecord() {
    dev.firelensrouter.event.TemplateScope ecs =
        java.util.Map.of(
                "ecs.cluster", "prod",
                "ecs.task_arn", "arn:aws:ecs:eu-west-1:1:task/prod/abc",
                "ecs.family", "web",
                "ecs.revision", "7")
            ::get;
    Router router =
        new Router(
            f.table("  - name: all\n    to: [a]\n"),
            java.util.Map.copyOf(f.outputs),
            f.metrics,
            f.clock,
            ecs,
            true);
    router.onChunk(chunk(APP, ChunkTicket.untracked(), event(map("log", "x"))));
    assertThat(f.outputs.get("a").json())
        .containsExactly(
            "{\"log\":\"x\",\"ecs_cluster\":\"prod\","
                + "\"ecs_task_arn\":\"arn:aws:ecs:eu-west-1:1:task/prod/abc\","
                + "\"ecs_task_definition\":\"web:7\"}");
  }

  @Test
  void corruptedRecordsAreEachDeliveredOrCountedAndNeverStopTheRouter() {
    Router router =
        f.router(
            """
              - name: cond
                match: { all: [ { field: n, gt: 5 } ] }
                transform:
                  - parse_json: log
                  - redact: { field: log, pattern: "h.l", replacement: "x" }
                  - set: { a: "{{ log }}" }
                  - rename: { n: m }
                to: [a]
              - name: rest
                transform: [ { parse_json: log }, { remove: [log] } ]
                to: [b]
            """);
    byte[] valid =
        dev.firelensrouter.event.TestRecords.pack(
            map("log", "{\"hello\": [1, 2, {\"x\": null}]}", "n", 7, "m", map("k", "v")));
    java.util.Random random = new java.util.Random(7);
    int count = 5_000;
    for (int i = 0; i < count; i++) {
      byte[] bytes = valid.clone();
      for (int k = 0; k < 2; k++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (i % 3 == 0) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      router.onChunk(chunk(APP, ChunkTicket.untracked(), new Event(0, 0, bytes)));
    }
    long delivered = f.outputs.get("a").events.size() + f.outputs.get("b").events.size();
    assertThat(delivered + (long) f.dropped("route_failed")).isEqualTo(count);
  }

  private static String text(Event e, String path) {
    return dev.firelensrouter.event.RecordFields.text(e, path);
  }
}
