package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sandbox.LogsEmulator;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import dev.firelensrouter.sink.firehose.FirehoseOutputType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * Faults that lose or duplicate records in peers: 5 % of Firehose records failing inside HTTP 200
 * answers, and CloudWatch Logs throttling a third of the calls with 5xx on top. Every record
 * arrives exactly once, and every chunk is acked only after that.
 */
class AwsOutputsSandboxFaultsTest {
  private static final int COUNT = 3000;

  @TempDir Path dir;

  @Test
  void partialFailuresAndThrottlingLoseAndDuplicateNothing() throws Exception {
    LogsEmulator logs = new LogsEmulator();
    FirehoseEmulator firehose = new FirehoseEmulator();
    Map<String, java.net.URI> endpoints =
        Map.of(
            "logs",
            logs.start(dir.resolve("sandbox")),
            "firehose",
            firehose.start(dir.resolve("sandbox")));
    firehose.partialFailures(0.05);
    logs.faults(0.3, 0.05);
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
            log_group: /ecs/faults
            log_stream: "{{ tag }}"
            flush_interval: 100ms
          lake:
            type: firehose
            region: us-east-1
            delivery_stream: lake
            flush_interval: 100ms
        routes:
          - to: [app_logs, lake]
        """
            .formatted(dir));
    try (NettyLoops loops = NettyLoops.create(1);
        AwsClients aws = new AwsClients(loops, true)) {
      OutputCatalog catalog =
          new OutputCatalog(
              List.of(
                  new CloudWatchLogsOutputType(aws::cloudWatchLogs),
                  new FirehoseOutputType(aws::firehose)));
      RouterRuntime router =
          RouterRuntime.start(
              new RouterRuntime.Options(
                  dir.resolve("config.yaml"), endpoints, Map.of(), Clock.systemUTC(), loops),
              catalog,
              TemplateScope.EMPTY);
      try {
        FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
        builder.setAckResponseMode(true);
        try (Fluency fluency =
            builder.build("127.0.0.1", router.forwardAddress().orElseThrow().getPort())) {
          for (int i = 0; i < COUNT; i++) {
            fluency.emit("faults.test", Map.of("seq", i));
          }
          fluency.flush();
          assertThat(fluency.waitUntilAllBufferFlushed(60)).as("every chunk acked").isTrue();
        }
        String metrics = dev.firelensrouter.ops.PrometheusText.scrape(router.registry());
        assertThat(metrics).contains("firelens_router_retries_total{output=\"lake\"}");
      } finally {
        assertThat(router.shutdown(Duration.ofSeconds(20)).isClean()).isTrue();
        router.close();
        logs.stop();
        firehose.stop();
      }
    }
    assertExactlyOnce(Files.readAllLines(dir.resolve("sandbox/firehose/lake.jsonl")), false);
    assertExactlyOnce(
        Files.readAllLines(dir.resolve("sandbox/cloudwatch/%2Fecs%2Ffaults/faults.test.jsonl")),
        true);
  }

  private static void assertExactlyOnce(List<String> lines, boolean wrapped) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<Integer, Integer> seen = new HashMap<>();
    for (String line : lines) {
      var node = json.readTree(line);
      if (wrapped) {
        node = json.readTree(node.get("message").asText());
      }
      seen.merge(node.get("seq").asInt(), 1, Integer::sum);
    }
    assertThat(seen).hasSize(COUNT);
    assertThat(seen.values()).allSatisfy(n -> assertThat(n).as("no duplicates").isEqualTo(1));
  }
}
