package dev.firelensrouter.sink.aws;

import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.ops.PrometheusText;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sandbox.LogsEmulator;
import dev.firelensrouter.sink.OutputMetrics;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import dev.firelensrouter.sink.firehose.FirehoseOutputType;
import dev.firelensrouter.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.komamitsu.fluency.EventTime;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * A router with the given outputs in this JVM, its AWS outputs pointed at the sandbox CloudWatch
 * Logs and Firehose emulators, and a Fluency client with acks: what the AWS tests share.
 */
final class AwsSandboxRig implements AutoCloseable {
  final LogsEmulator logs = new LogsEmulator();
  final FirehoseEmulator firehose = new FirehoseEmulator();
  final Path dir;
  private final NettyLoops loops = NettyLoops.create(1);
  private final AwsClients aws;
  final RouterRuntime router;

  /**
   * @param outputs the {@code outputs:} and {@code routes:} sections
   * @param endpointOverrides whether the outputs are pointed at the emulators (false: each output's
   *     own {@code endpoint} is used)
   */
  AwsSandboxRig(Path dir, String outputs, boolean endpointOverrides) throws Exception {
    this(dir, outputs, endpointOverrides, "");
  }

  /** {@code forwardExtra}: more lines under {@code inputs.forward}, e.g. {@code ack: received}. */
  AwsSandboxRig(Path dir, String outputs, boolean endpointOverrides, String forwardExtra)
      throws Exception {
    this(dir, outputs, endpointOverrides, forwardExtra, "");
  }

  /** {@code serviceExtra}: more lines under {@code service}, e.g. {@code memory_budget: 256KiB}. */
  AwsSandboxRig(
      Path dir, String outputs, boolean endpointOverrides, String forwardExtra, String serviceExtra)
      throws Exception {
    this.dir = dir;
    Map<String, URI> endpoints =
        Map.of(
            "logs", logs.start(dir.resolve("sandbox")),
            "firehose", firehose.start(dir.resolve("sandbox")));
    Files.writeString(
        dir.resolve("config.yaml"),
        """
        service:
          admin: 127.0.0.1:0
          data_dir: %s/data
        """
                .formatted(dir)
            + serviceExtra.indent(2)
            + """
            inputs:
              forward:
                tcp: 127.0.0.1:0
            """
            + forwardExtra.indent(4)
            + outputs
                .replace("${LOGS}", endpoints.get("logs").toString())
                .replace("${FIREHOSE}", endpoints.get("firehose").toString()));
    // Every request these tests make is checked for a signature over the bytes that arrived.
    logs.verifySignatures(AwsClients.SANDBOX_CREDENTIALS);
    firehose.verifySignatures(AwsClients.SANDBOX_CREDENTIALS);
    aws = new AwsClients(loops, true);
    OutputCatalog catalog =
        new OutputCatalog(
            List.of(
                new CloudWatchLogsOutputType(aws::cloudWatchLogs),
                new FirehoseOutputType(aws::firehose)));
    router =
        RouterRuntime.start(
            new RouterRuntime.Options(
                dir.resolve("config.yaml"),
                endpointOverrides ? endpoints : Map.of(),
                Map.of(),
                Clock.systemUTC(),
                loops),
            catalog,
            TemplateScope.EMPTY);
  }

  Fluency client() throws IOException {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    // An ack can wait for the 2 s spool write, more on a loaded machine; Fluency's default 5 s read
    // timeout would then send the chunk again and the outputs would hold it twice.
    builder.setReadTimeoutMilli(60_000);
    builder.setBufferChunkRetentionSize(16 << 20);
    builder.setMaxBufferSize(512L << 20);
    return builder.build("127.0.0.1", router.forwardAddress().orElseThrow().getPort());
  }

  /** Sends {@code log} texts as records of {@code tag}, all stamped {@code epochSeconds}. */
  void send(String tag, List<String> texts, long epochSeconds) throws Exception {
    try (Fluency fluency = client()) {
      for (String text : texts) {
        fluency.emit(tag, EventTime.fromEpoch(epochSeconds, 0), Map.of("log", text));
      }
      fluency.flush();
      if (!fluency.waitUntilAllBufferFlushed(60)) {
        throw new IllegalStateException("not every chunk was acked");
      }
    }
  }

  /** Sends every text under every tag, interleaved, from one client. */
  void sendAcross(List<String> tags, List<String> texts, long epochSeconds) throws Exception {
    Map<String, List<String>> byTag = new LinkedHashMap<>();
    tags.forEach(tag -> byTag.put(tag, texts));
    sendByTag(byTag, epochSeconds);
  }

  /** Sends each tag's texts, the tags interleaved record by record, from one client. */
  void sendByTag(Map<String, List<String>> textsByTag, long epochSeconds) throws Exception {
    int longest = textsByTag.values().stream().mapToInt(List::size).max().orElse(0);
    try (Fluency fluency = client()) {
      for (int i = 0; i < longest; i++) {
        for (Map.Entry<String, List<String>> e : textsByTag.entrySet()) {
          if (i < e.getValue().size()) {
            fluency.emit(
                e.getKey(),
                EventTime.fromEpoch(epochSeconds, 0),
                Map.of("log", e.getValue().get(i)));
          }
        }
      }
      fluency.flush();
      if (!fluency.waitUntilAllBufferFlushed(60)) {
        throw new IllegalStateException("not every chunk was acked");
      }
    }
  }

  /**
   * Waits until each output counts {@code n} records delivered. Under faults an ack does not mean
   * the store has them yet: records held in memory for 2 s are written to the disk spool, and their
   * chunk is acked from there.
   */
  void awaitDelivered(long n, String... outputs) throws InterruptedException {
    for (String output : outputs) {
      Await.until(
          Duration.ofSeconds(60),
          () -> ledger(output).delivered() == n,
          () -> output + " " + ledger(output));
    }
  }

  /**
   * Waits until each output has settled {@code n} records: delivered, dead-lettered or dropped,
   * none left buffered or in flight. As with {@link #awaitDelivered}, an ack alone does not say so.
   */
  void awaitSettled(long n, String... outputs) {
    for (String output : outputs) {
      Await.until(
          Duration.ofSeconds(60),
          () -> {
            OutputMetrics.Snapshot s = ledger(output);
            return s.delivered() + s.deadLetteredTotal() + s.droppedTotal() == n;
          },
          () -> output + " " + ledger(output));
    }
  }

  OutputMetrics.Snapshot ledger(String output) {
    return router.deliveryMetrics().forOutput(output).snapshot();
  }

  String metrics() {
    return PrometheusText.scrape(router.registry());
  }

  List<String> logLines(String group, String stream) throws IOException {
    return Files.readAllLines(
        dir.resolve("sandbox/cloudwatch")
            .resolve(java.net.URLEncoder.encode(group, java.nio.charset.StandardCharsets.UTF_8))
            .resolve(
                java.net.URLEncoder.encode(stream, java.nio.charset.StandardCharsets.UTF_8)
                    + ".jsonl"));
  }

  List<String> firehoseLines(String stream) throws IOException {
    Path f = dir.resolve("sandbox/firehose").resolve(stream + ".jsonl");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  @Override
  public void close() {
    try {
      router.shutdown(Duration.ofSeconds(3));
    } finally {
      router.close();
      aws.close();
      loops.close();
      logs.stop();
      firehose.stop();
    }
  }
}
