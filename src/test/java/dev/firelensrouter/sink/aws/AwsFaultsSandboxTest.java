package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.ops.ShutdownReport;
import dev.firelensrouter.sandbox.ApiFaults;
import dev.firelensrouter.sink.DestinationHealth;
import dev.firelensrouter.sink.OutputMetrics;
import dev.firelensrouter.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Outages and misconfiguration, against the sandbox emulators: one output throttled for a while
 * does not hold the other back, 5xx and dropped connections lose and duplicate nothing, a deleted
 * log group is created again, and an output that cannot work (no such group, nothing listening,
 * access denied) says so once, with the AWS error code and request id, on {@code /routes} and in
 * the metrics, while the others keep delivering.
 */
class AwsFaultsSandboxTest {
  private static final String BOTH =
      """
      outputs:
        app_logs:
          type: cloudwatch_logs
          region: us-east-1
          log_group: /ecs/faults
          log_stream: "{{ tag }}"
          message: log
          flush_interval: 100ms
        lake:
          type: firehose
          region: us-east-1
          delivery_stream: lake
          message: log
          flush_interval: 100ms
      routes:
        - to: [app_logs, lake]
      """;

  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger healthLog = (Logger) LoggerFactory.getLogger(DestinationHealth.class);

  @BeforeEach
  void captureHealthLog() {
    log.start();
    healthLog.addAppender(log);
  }

  @AfterEach
  void release() {
    healthLog.detachAppender(log);
  }

  private static List<String> texts(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private static void assertExactlyOnce(List<String> lines, List<String> expected) {
    Map<String, Integer> seen = new HashMap<>();
    for (String l : lines) {
      String text = l.startsWith("{") ? l.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1") : l;
      seen.merge(text, 1, Integer::sum);
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(seen.values()).as("no duplicates").allMatch(n -> n == 1);
  }

  /** The output's entry in {@code GET /routes}. */
  private static JsonNode routesEntry(AwsSandboxRig rig, String output) throws Exception {
    int port = rig.router.adminAddress().getPort();
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/routes")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (JsonNode o : new ObjectMapper().readTree(body).path("outputs")) {
      if (o.path("name").asText().equals(output)) {
        return o;
      }
    }
    throw new AssertionError("no output " + output + " in " + body);
  }

  private List<String> warnings(String output) {
    return log.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("output " + output + " is "))
        .toList();
  }

  @Test
  void aThrottledOutputDoesNotHoldTheOtherBackAndCatchesUpAfterwards() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, BOTH, true, "ack: received")) {
      rig.logs.faults(ApiFaults.NONE.withThrottle(1.0));
      List<String> texts = texts("t", 3_000);
      rig.send("app", texts, Instant.now().getEpochSecond());
      Await.until(
          Duration.ofSeconds(30),
          () -> rig.ledger("lake").delivered() == 3_000,
          () -> "firehose " + rig.ledger("lake"));
      // The SDK retries a throttled call itself before the engine hears of it, so on busy cores
      // Firehose can be done before /routes shows the first throttle.
      Await.until(
          Duration.ofSeconds(30),
          () -> state(rig, "app_logs").equals("throttled"),
          () -> "cloudwatch state " + state(rig, "app_logs"));
      assertThat(rig.ledger("app_logs").delivered()).as("still throttled").isZero();

      rig.logs.faults(ApiFaults.NONE);
      Await.until(
          Duration.ofSeconds(60),
          () -> rig.ledger("app_logs").delivered() == 3_000,
          () -> "cloudwatch " + rig.ledger("app_logs"));
      assertExactlyOnce(rig.logLines("/ecs/faults", "app"), texts);
      assertExactlyOnce(rig.firehoseLines("lake"), texts);
      assertThat(warnings("app_logs")).hasSize(1);
    }
  }

  @Test
  void firehosePartialFailuresAndCloudWatchThrottlingLoseAndDuplicateNothing() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, BOTH, true)) {
      rig.firehose.faults(ApiFaults.NONE.withPartialFailures(0.05));
      rig.logs.faults(ApiFaults.NONE.withThrottle(0.3).withServerErrors(0.05));
      List<String> texts = texts("p", 3_000);
      rig.send("app", texts, Instant.now().getEpochSecond());
      rig.awaitDelivered(3_000, "app_logs", "lake");
      assertExactlyOnce(rig.logLines("/ecs/faults", "app"), texts);
      assertExactlyOnce(rig.firehoseLines("lake"), texts);
      assertThat(rig.metrics())
          .contains("firelens_router_retries_total{output=\"lake\"}")
          .as("answered with some records refused")
          .contains("firelens_router_requests_total{outcome=\"partial\",output=\"lake\"}");
    }
  }

  @Test
  void eventsTheServiceRejectsAreDeadLetteredWithTheReasonAndNeverCountedDelivered()
      throws Exception {
    // The group keeps 1 day: CloudWatch takes events up to 14 days old but rejects, inside a
    // successful answer, those older than the group's retention (expiredLogEventEndIndex).
    String config =
        BOTH.replace(
            "log_stream: \"{{ tag }}\"", "log_stream: \"{{ tag }}\"\n    retention_days: 1");
    assertThat(config).contains("retention_days: 1");
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, config, true)) {
      long now = Instant.now().getEpochSecond();
      rig.send("app", texts("fresh", 5), now);
      rig.send("app", texts("stale", 3), now - 3 * 86_400);
      rig.awaitSettled(8, "app_logs");
      OutputMetrics.Snapshot s = rig.ledger("app_logs");
      assertThat(s.delivered()).isEqualTo(5);
      assertThat(s.deadLettered()).containsEntry("rejected_expired", 3L);
      assertThat(s.balanced()).isTrue();
      assertExactlyOnce(rig.logLines("/ecs/faults", "app"), texts("fresh", 5));
      assertThat(java.nio.file.Files.readAllLines(dir.resolve("data/dead-letter/app_logs.jsonl")))
          .hasSize(3)
          .allSatisfy(
              l -> assertThat(l).contains("\"reason\":\"rejected_expired\"").contains("stale"));
    }
  }

  @Test
  void serverErrorsAndDroppedConnectionsLoseAndDuplicateNothing() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, BOTH, true)) {
      rig.logs.faults(ApiFaults.NONE.withServerErrors(0.3).withResets(0.2));
      rig.firehose.faults(ApiFaults.NONE.withServerErrors(0.2).withResets(0.2));
      // Ten streams and 40 full Firehose batches: at least 30 CloudWatch and 40 Firehose calls, so
      // a run where no call drew a fault (0.56^30, 0.64^40) does not happen.
      Map<String, List<String>> byTag = new LinkedHashMap<>();
      List<String> all = new ArrayList<>();
      for (int t = 0; t < 10; t++) {
        byTag.put("app" + t, texts("f" + t + "-", 2_000));
        all.addAll(byTag.get("app" + t));
      }
      rig.sendByTag(byTag, Instant.now().getEpochSecond());
      rig.awaitDelivered(all.size(), "app_logs", "lake");
      assertThat(rig.logs.faultsInjected()).as("faults injected").isPositive();
      assertThat(rig.firehose.faultsInjected()).as("faults injected").isPositive();
      for (Map.Entry<String, List<String>> e : byTag.entrySet()) {
        assertExactlyOnce(rig.logLines("/ecs/faults", e.getKey()), e.getValue());
      }
      assertExactlyOnce(rig.firehoseLines("lake"), all);
    }
  }

  @Test
  void aLogGroupDeletedWhileRunningIsCreatedAgain() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, BOTH, true)) {
      rig.send("app", texts("before", 100), Instant.now().getEpochSecond());
      rig.awaitDelivered(100, "app_logs");
      rig.logs.deleteLogGroup("/ecs/faults");
      rig.send("app", texts("after", 100), Instant.now().getEpochSecond());
      rig.awaitDelivered(200, "app_logs");
      List<String> all = new ArrayList<>(texts("before", 100));
      all.addAll(texts("after", 100));
      assertExactlyOnce(rig.logLines("/ecs/faults", "app"), all);
      assertThat(rig.ledger("app_logs").delivered()).isEqualTo(200);
    }
  }

  @Test
  void aGroupThatDoesNotExistWithoutAutoCreateIsReportedAndTheOtherOutputDelivers()
      throws Exception {
    String config =
        BOTH.replace(
            "log_stream: \"{{ tag }}\"", "log_stream: \"{{ tag }}\"\n    auto_create_group: false");
    assertThat(config).contains("auto_create_group: false");
    assertMisconfiguredOutputIsReported(
        config, true, rig -> {}, "ResourceNotFoundException", "request id");
  }

  @Test
  void accessDeniedIsReportedWithItsCodeAndRequestIdAndTheOtherOutputDelivers() throws Exception {
    assertMisconfiguredOutputIsReported(
        BOTH,
        true,
        rig -> rig.logs.denyGroup("/ecs/faults"),
        "AccessDeniedException",
        "request id");
  }

  @Test
  void onceAccessIsGrantedEverythingKeptIsDeliveredExactlyOnce() throws Exception {
    assertMisconfiguredOutputIsReported(
        BOTH,
        true,
        rig -> rig.logs.denyGroup("/ecs/faults"),
        "app_logs",
        "AccessDeniedException",
        "request id",
        rig -> {
          rig.logs.allowGroup("/ecs/faults");
          Await.until(
              Duration.ofSeconds(60),
              () -> rig.ledger("app_logs").delivered() == 500,
              () -> "app_logs " + rig.ledger("app_logs"));
          assertExactlyOnce(rig.logLines("/ecs/faults", "app"), texts("m", 500));
          // Healthy once the quiet period after the last refused call passed, with no more traffic.
          Await.until(
              Duration.ofSeconds(30),
              () -> state(rig, "app_logs").equals("healthy"),
              () -> "state " + state(rig, "app_logs"));
        });
  }

  @Test
  void aDeliveryStreamThatDoesNotExistIsReportedAndTheOtherOutputDelivers() throws Exception {
    assertMisconfiguredOutputIsReported(
        BOTH,
        true,
        rig -> rig.firehose.onlyStreams(java.util.Set.of("another-stream")),
        "lake",
        "ResourceNotFoundException",
        "request id");
  }

  @Test
  void anEndpointWhereNothingListensIsReportedAndTheOtherOutputDelivers() throws Exception {
    String config =
        BOTH.replace(
                "region: us-east-1\n    log_group",
                "region: us-east-1\n    endpoint: http://127.0.0.1:9\n    log_group")
            .replace("delivery_stream: lake", "delivery_stream: lake\n    endpoint: ${FIREHOSE}");
    assertThat(config).contains("endpoint: http://127.0.0.1:9");
    assertMisconfiguredOutputIsReported(config, false, rig -> {}, "Connect", "127.0.0.1:9");
  }

  /** {@code firelens_router_requests_total{output="app_logs",outcome="error"}} in a scrape. */
  private static double failedRequests(AwsSandboxRig rig, String output) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "firelens_router_requests_total\\{outcome=\"error\",output=\""
                    + output
                    + "\"\\} (\\S+)")
            .matcher(rig.metrics());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void aSecondStopSignalCutsTheDrainShortAndReportsWhatIsLeft() throws Exception {
    String config =
        BOTH.replace(
                "region: us-east-1\n    log_group",
                "region: us-east-1\n    endpoint: http://127.0.0.1:9\n    log_group")
            .replace("delivery_stream: lake", "delivery_stream: lake\n    endpoint: ${FIREHOSE}");
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, config, false, "ack: received")) {
      rig.send("app", texts("s", 200), Instant.now().getEpochSecond());
      Await.until(
          Duration.ofSeconds(30),
          () -> !warnings("app_logs").isEmpty(),
          () -> "no warning about app_logs");
      CompletableFuture<ShutdownReport> drain =
          CompletableFuture.supplyAsync(() -> rig.router.shutdown(Duration.ofMinutes(10)));
      // The first signal's drain would wait up to ten minutes for CloudWatch; the second cuts it.
      Await.until(
          Duration.ofSeconds(10),
          () -> rig.router.isDraining(),
          () -> "the router never started draining");
      rig.router.hurry();
      ShutdownReport report = drain.get(30, TimeUnit.SECONDS);
      assertThat(report.isClean()).as("%s %s", report.summary(), rig.ledger("app_logs")).isFalse();
      assertThat(report.summary())
          .as("%s", rig.ledger("app_logs"))
          .contains("app_logs")
          .contains("cut short by a second signal");
      assertThat(report.outputs())
          .filteredOn(r -> r.output().equals("app_logs"))
          .singleElement()
          .satisfies(r -> assertThat(r.undelivered()).isEqualTo(200));
    }
  }

  private interface Setup {
    void apply(AwsSandboxRig rig) throws Exception;
  }

  /** The output's state on /routes. */
  private static String state(AwsSandboxRig rig, String output) {
    try {
      return routesEntry(rig, output).path("state").asText();
    } catch (Exception e) {
      throw new AssertionError("GET /routes failed", e);
    }
  }

  private void assertMisconfiguredOutputIsReported(
      String config, boolean overrides, Setup setup, String code, String detail) throws Exception {
    assertMisconfiguredOutputIsReported(config, overrides, setup, "app_logs", code, detail);
  }

  /** {@code failing} is one of the two outputs of {@link #BOTH}; the other must deliver. */
  private void assertMisconfiguredOutputIsReported(
      String config, boolean overrides, Setup setup, String failing, String code, String detail)
      throws Exception {
    assertMisconfiguredOutputIsReported(config, overrides, setup, failing, code, detail, rig -> {});
  }

  /** As above, then {@code fix} runs with the rig still up (the problem solved, say). */
  private void assertMisconfiguredOutputIsReported(
      String config,
      boolean overrides,
      Setup setup,
      String failing,
      String code,
      String detail,
      Setup fix)
      throws Exception {
    String healthy = failing.equals("app_logs") ? "lake" : "app_logs";
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, config, overrides, "ack: received")) {
      setup.apply(rig);
      List<String> texts = texts("m", 500);
      rig.send("app", texts, Instant.now().getEpochSecond());
      Await.until(
          Duration.ofSeconds(30),
          () -> rig.ledger(healthy).delivered() == 500,
          () -> healthy + " " + rig.ledger(healthy));
      Await.until(
          Duration.ofSeconds(30),
          () -> !warnings(failing).isEmpty(),
          () -> "no warning about " + failing + " in " + log.list);
      // More failed attempts after the first warning: still one line in the log.
      double before = failedRequests(rig, failing);
      Await.until(
          Duration.ofSeconds(30),
          () -> failedRequests(rig, failing) >= before + 3,
          () -> "failed requests " + failedRequests(rig, failing));
      assertThat(warnings(failing))
          .singleElement()
          .satisfies(w -> assertThat(w).contains(code).contains(detail));
      JsonNode entry = routesEntry(rig, failing);
      assertThat(entry.path("state").asText()).isEqualTo("failing");
      assertThat(entry.path("last_error").asText()).contains(code);
      assertThat(rig.ledger(failing).buffered() + rig.ledger(failing).inFlight())
          .as("kept, not dead-lettered")
          .isEqualTo(500);
      assertThat(rig.metrics())
          .contains("firelens_router_records_buffered{output=\"" + failing + "\"}")
          .contains("firelens_router_records_delivered_total{output=\"" + healthy + "\"} 500.0");
      assertExactlyOnce(
          healthy.equals("lake") ? rig.firehoseLines("lake") : rig.logLines("/ecs/faults", "app"),
          texts);
      fix.apply(rig);
    }
  }
}
