package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.ChildConfig;
import dev.firelensrouter.testing.ChildRouter;
import dev.firelensrouter.testing.PrometheusScrape;
import dev.firelensrouter.testing.PrometheusScrape.Sample;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;

/**
 * What dashboards and alerts are built on: every metric CONTRACT.md names, with its labels and
 * type, scraped from {@code GET /metrics} of the router as users run it ({@code run --sandbox})
 * with a CloudWatch Logs, a Firehose, an S3 and a file output, plus the process basics a sidecar's
 * memory limit is judged by.
 */
class MetricsContractTest {
  private static final List<String> OUTPUTS = List.of("app_logs", "lake", "archive", "local");
  private static final List<String> AWS_OUTPUTS = List.of("app_logs", "lake", "archive");

  @TempDir Path dir;

  @Test
  void everyContractMetricIsScrapedWithItsLabelsAndType() throws Exception {
    ChildConfig config =
        ChildConfig.write(
            dir,
            "grace: 10s",
            "",
            """
            outputs:
              app_logs:
                type: cloudwatch_logs
                region: us-east-1
                log_group: /contract
                log_stream: "{{ tag }}"
              lake:
                type: firehose
                region: us-east-1
                delivery_stream: contract-stream
              archive:
                type: s3
                region: us-east-1
                bucket: contract-archive
                key: "logs/{{ tag }}/{{ uuid }}.jsonl"
                compression: none
                upload_after: 1s
              local:
                type: file
                path: "%s/out/{{ tag }}.jsonl"
            routes:
              - { match: { tag: "cw.*" }, to: [app_logs] }
              - { match: { tag: "fh.*" }, to: [lake] }
              - { match: { tag: "s3.*" }, to: [archive] }
              - { match: { tag: "file.*" }, to: [local] }
            """
                .formatted(dir));
    try (ChildRouter router = config.startInSandbox(dir)) {
      try (Fluency fluency = config.fluency()) {
        for (String tag : List.of("cw.app", "fh.app", "s3.app", "file.app")) {
          for (int i = 0; i < 10; i++) {
            fluency.emit(tag, Map.of("log", "line " + i));
          }
        }
        // No route takes it: dropped{output="none",reason="unrouted"}.
        fluency.emit("nowhere.app", Map.of("log", "unrouted"));
        // Above Firehose's 1,000 KiB record limit: dead-lettered with its reason.
        fluency.emit("fh.big", Map.of("log", "x".repeat(1_100_000)));
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(30)).as("every chunk acked").isTrue();
      }
      // Not msgpack at all: the connection is refused with a reason.
      try (Socket raw = new Socket("127.0.0.1", config.forwardPort())) {
        OutputStream out = raw.getOutputStream();
        out.write(0xc1);
        out.flush();
        Await.until(Duration.ofSeconds(10), () -> raw.isClosed() || readEnd(raw), router::log);
      }
      Await.until(
          Duration.ofSeconds(30),
          () -> OUTPUTS.stream().allMatch(o -> delivered(scrape(router), o) == 10),
          () -> "not every output delivered its 10 records:\n" + text(router));

      PrometheusScrape m = scrape(router);
      assertThat(m.value("firelens_router_records_received_total", Map.of())).isEqualTo(42);
      assertType(m, "firelens_router_records_received_total", "counter");
      for (String output : OUTPUTS) {
        Map<String, String> o = Map.of("output", output);
        assertThat(m.value("firelens_router_records_delivered_total", o)).as(output).isEqualTo(10);
        assertThat(m.named("firelens_router_records_buffered", o)).as(output).hasSize(1);
        assertThat(m.named("firelens_router_records_in_flight", o)).as(output).hasSize(1);
        assertThat(m.named("firelens_router_retries_total", o)).as(output).hasSize(1);
        assertHistogram(m, "firelens_router_delivery_latency_seconds", o);
      }
      for (String output : AWS_OUTPUTS) {
        List<Sample> requests = m.named("firelens_router_requests_total", Map.of("output", output));
        assertThat(requests).as("requests of %s", output).isNotEmpty();
        assertThat(requests)
            .extracting(s -> s.labels().get("outcome"))
            .as(output)
            .contains("success");
      }
      assertThat(
              m.value(
                  "firelens_router_records_dropped_total",
                  Map.of("output", "none", "reason", "unrouted")))
          .isEqualTo(1);
      assertThat(
              m.value(
                  "firelens_router_records_dead_lettered_total",
                  Map.of("output", "lake", "reason", "record_too_large")))
          .isEqualTo(1);
      assertThat(m.named("firelens_router_forward_connections")).hasSize(1);
      assertThat(m.named("firelens_router_forward_frames_total"))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.labels()).containsKey("mode"));
      assertThat(
              m.value(
                  "firelens_router_forward_rejected_frames_total",
                  Map.of("reason", "malformed_msgpack")))
          .isEqualTo(1);

      assertType(m, "firelens_router_records_delivered_total", "counter");
      assertType(m, "firelens_router_records_dropped_total", "counter");
      assertType(m, "firelens_router_records_dead_lettered_total", "counter");
      assertType(m, "firelens_router_requests_total", "counter");
      assertType(m, "firelens_router_retries_total", "counter");
      assertType(m, "firelens_router_forward_frames_total", "counter");
      assertType(m, "firelens_router_forward_rejected_frames_total", "counter");
      assertType(m, "firelens_router_records_buffered", "gauge");
      assertType(m, "firelens_router_records_in_flight", "gauge");
      assertType(m, "firelens_router_forward_connections", "gauge");

      // The process as the container's memory limit sees it, and the JVM inside it.
      assertThat(m.value("process_resident_memory_bytes", Map.of())).isGreaterThan(1 << 20);
      assertThat(m.value("firelens_router_process_resident_memory_bytes", Map.of()))
          .isGreaterThan(1 << 20);
      assertThat(m.named("process_cpu_seconds_total")).hasSize(1);
      assertThat(m.named("jvm_memory_used_bytes", Map.of("area", "heap"))).hasSize(1);
      assertThat(m.named("jvm_gc_collection_seconds_count")).isNotEmpty();
      assertThat(m.value("jvm_buffer_pool_used_bytes", Map.of("pool", "direct")))
          .isGreaterThanOrEqualTo(0);
      assertThat(m.value("firelens_router_netty_direct_memory_bytes", Map.of()))
          .as("Netty's direct memory in use")
          .isGreaterThan(0);
      assertThat(m.value("firelens_router_direct_memory_max_bytes", Map.of())).isGreaterThan(0);
      assertThat(m.value("firelens_router_memory_budget_bytes", Map.of())).isGreaterThan(0);

      router.terminate();
      assertThat(router.awaitExit(Duration.ofSeconds(30))).as(router.log()).isEqualTo(0);
    }
  }

  private static void assertHistogram(PrometheusScrape m, String name, Map<String, String> o) {
    assertType(m, name + "_bucket", "histogram");
    List<Sample> buckets = m.named(name + "_bucket", o);
    assertThat(buckets).as("%s buckets of %s", name, o).hasSizeGreaterThan(1);
    assertThat(buckets).allSatisfy(b -> assertThat(b.labels()).containsKey("le"));
    double inf = m.value(name + "_bucket", withLe(o, "+Inf"));
    double count = m.value(name + "_count", o);
    assertThat(count).as("%s_count of %s", name, o).isGreaterThan(0);
    assertThat(inf).as("+Inf bucket equals _count").isEqualTo(count);
    assertThat(m.named(name + "_sum", o)).hasSize(1);
  }

  private static Map<String, String> withLe(Map<String, String> labels, String le) {
    Map<String, String> out = new java.util.HashMap<>(labels);
    out.put("le", le);
    return out;
  }

  private static void assertType(PrometheusScrape m, String sample, String type) {
    assertThat(m.typeOf(sample)).as("# TYPE of %s", sample).contains(type);
  }

  private static double delivered(PrometheusScrape m, String output) {
    return m.value("firelens_router_records_delivered_total", Map.of("output", output));
  }

  private static PrometheusScrape scrape(ChildRouter router) {
    return PrometheusScrape.parse(text(router));
  }

  private static String text(ChildRouter router) {
    try {
      return router.get("/metrics");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean readEnd(Socket s) {
    try {
      s.setSoTimeout(100);
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
