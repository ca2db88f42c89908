package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.ops.PrometheusText;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sandbox.LogsEmulator;
import dev.firelensrouter.sandbox.S3Emulator;
import dev.firelensrouter.sandbox.S3Faults;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import dev.firelensrouter.sink.firehose.FirehoseOutputType;
import dev.firelensrouter.sink.s3.S3OutputType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * What a user checks on a dashboard: for every output, {@code received = delivered + dead_lettered
 * + dropped + buffered + in_flight} in each scrape of {@code /metrics}, taken while records stream
 * in and CloudWatch Logs throttles, Firehose fails records inside HTTP 200 answers and S3 says
 * SlowDown, not only once everything has settled.
 */
class LedgerUnderLoadAndFaultsTest {
  private static final int COUNT = 20_000;
  private static final Pattern SAMPLE =
      Pattern.compile("^(firelens_router_[a-z_]+)\\{([^}]*)\\} ([0-9.eE+-]+)$");

  @TempDir Path dir;

  @Test
  void everyScrapeAccountsForEveryRecordOfEveryOutput() throws Exception {
    LogsEmulator logs = new LogsEmulator();
    FirehoseEmulator firehose = new FirehoseEmulator();
    S3Emulator s3 = new S3Emulator();
    Map<String, URI> endpoints =
        Map.of(
            "logs", logs.start(dir.resolve("sandbox")),
            "firehose", firehose.start(dir.resolve("sandbox")),
            "s3", s3.start(dir.resolve("sandbox/s3")));
    s3.createBucketsOnDemand(true);
    logs.faults(0.3, 0.05);
    firehose.partialFailures(0.05);
    s3.faults(S3Faults.NONE.withSlowDown(0.3));
    Files.writeString(
        dir.resolve("config.yaml"),
        """
        service:
          admin: 127.0.0.1:0
          data_dir: %s/data
        inputs:
          forward:
            tcp: 127.0.0.1:0
        outputs:
          app_logs:
            type: cloudwatch_logs
            region: us-east-1
            log_group: /ecs/ledger
            log_stream: "{{ tag }}"
            flush_interval: 100ms
          lake:
            type: firehose
            region: us-east-1
            delivery_stream: lake
            flush_interval: 100ms
          archive:
            type: s3
            region: us-east-1
            bucket: archive
            upload_after: 200ms
        routes:
          - to: [app_logs, lake, archive]
        """
            .formatted(dir));
    try (NettyLoops loops = NettyLoops.create(1);
        AwsClients aws = new AwsClients(loops, true)) {
      OutputCatalog catalog =
          new OutputCatalog(
              List.of(
                  new CloudWatchLogsOutputType(aws::cloudWatchLogs),
                  new FirehoseOutputType(aws::firehose),
                  new S3OutputType(
                      o ->
                          aws.s3(
                              new AwsClients.Target(o.region(), o.endpoint(), o.roleArn()),
                              o.pathStyle()))));
      RouterRuntime router =
          RouterRuntime.start(
              new RouterRuntime.Options(
                  dir.resolve("config.yaml"), endpoints, Map.of(), Clock.systemUTC(), loops),
              catalog,
              TemplateScope.EMPTY);
      try {
        FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
        builder.setAckResponseMode(true);
        // Acks under faults can wait for the spool write; a resend would count records twice.
        builder.setReadTimeoutMilli(60_000);
        int port = router.forwardAddress().orElseThrow().getPort();
        CompletableFuture<Boolean> sent =
            CompletableFuture.supplyAsync(
                () -> {
                  try (Fluency fluency = builder.build("127.0.0.1", port)) {
                    for (int i = 0; i < COUNT; i++) {
                      fluency.emit("ledger.test", Map.of("seq", i, "log", "x".repeat(200)));
                    }
                    fluency.flush();
                    return fluency.waitUntilAllBufferFlushed(120);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        int scrapes = 0;
        boolean sawWork = false;
        while (!sent.isDone() || scrapes < 20) {
          Map<String, Ledger> ledgers = ledgers(PrometheusText.scrape(router.registry()));
          for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
            assertThat(e.getValue().balanced())
                .as("scrape %d, output %s: %s", scrapes, e.getKey(), e.getValue())
                .isTrue();
            sawWork |= e.getValue().buffered + e.getValue().inFlight > 0;
          }
          scrapes++;
          Thread.sleep(5); // leave the two cores to the router and the client
        }
        assertThat(sent.join()).as("every chunk acked").isTrue();
        assertThat(sawWork).as("some scrape caught records buffered or in flight").isTrue();
        assertThat(router.shutdown(Duration.ofSeconds(60)).isClean()).isTrue();
        Map<String, Ledger> end = ledgers(PrometheusText.scrape(router.registry()));
        for (String output : List.of("app_logs", "lake", "archive")) {
          assertThat(end.get(output).received).as(output).isEqualTo(COUNT);
          assertThat(end.get(output).delivered).as(output).isEqualTo(COUNT);
        }
      } finally {
        router.close();
        logs.stop();
        firehose.stop();
        s3.stop();
      }
    }
  }

  /** One output's counters as a scrape shows them. */
  private static final class Ledger {
    double received;
    double delivered;
    double deadLettered;
    double dropped;
    double buffered;
    double inFlight;

    boolean balanced() {
      return received == delivered + deadLettered + dropped + buffered + inFlight;
    }

    @Override
    public String toString() {
      return "received=%.0f delivered=%.0f dead_lettered=%.0f dropped=%.0f buffered=%.0f in_flight=%.0f"
          .formatted(received, delivered, deadLettered, dropped, buffered, inFlight);
    }
  }

  private static Map<String, Ledger> ledgers(String text) {
    Map<String, Ledger> out = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Matcher output = Pattern.compile("output=\"([^\"]*)\"").matcher(m.group(2));
      if (!output.find() || output.group(1).equals("none")) {
        continue;
      }
      Ledger l = out.computeIfAbsent(output.group(1), k -> new Ledger());
      double v = Double.parseDouble(m.group(3));
      switch (m.group(1)) {
        case "firelens_router_output_records_received_total" -> l.received = v;
        case "firelens_router_records_delivered_total" -> l.delivered = v;
        case "firelens_router_records_dead_lettered_total" -> l.deadLettered += v;
        case "firelens_router_records_dropped_total" -> l.dropped += v;
        case "firelens_router_records_buffered" -> l.buffered = v;
        case "firelens_router_records_in_flight" -> l.inFlight = v;
        default -> {}
      }
    }
    return out;
  }
}
