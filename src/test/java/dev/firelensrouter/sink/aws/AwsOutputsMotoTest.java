package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import dev.firelensrouter.sink.firehose.FirehoseOutputType;
import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.MotoServer;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Records sent through the Forward input arrive in CloudWatch Logs (read back with GetLogEvents)
 * and in Firehose (read back from the S3 bucket moto's delivery stream writes to), through the real
 * AWS SDK against moto_server.
 */
class AwsOutputsMotoTest {
  private static final int COUNT = 300;

  @TempDir Path dir;

  @Test
  void recordsArriveInCloudWatchLogsAndThroughFirehoseExactlyOnce() throws Exception {
    try (MotoServer moto = MotoServer.startOrSkip(dir)) {
      recordsArriveExactlyOnce(moto.endpoint(), dir);
    }
  }

  /** The whole check against any moto endpoint (a local moto_server or a container). */
  static void recordsArriveExactlyOnce(URI endpoint, Path dir) throws Exception {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    {
      var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
      try (S3Client s3 =
              S3Client.builder()
                  .endpointOverride(endpoint)
                  .region(Region.US_EAST_1)
                  .credentialsProvider(creds)
                  .forcePathStyle(true)
                  .build();
          FirehoseClient firehose =
              FirehoseClient.builder()
                  .endpointOverride(endpoint)
                  .region(Region.US_EAST_1)
                  .credentialsProvider(creds)
                  .build();
          CloudWatchLogsClient logs =
              CloudWatchLogsClient.builder()
                  .endpointOverride(endpoint)
                  .region(Region.US_EAST_1)
                  .credentialsProvider(creds)
                  .build()) {
        s3.createBucket(b -> b.bucket("lake"));
        firehose.createDeliveryStream(
            b ->
                b.deliveryStreamName("lake-stream")
                    .extendedS3DestinationConfiguration(
                        d ->
                            d.bucketARN("arn:aws:s3:::lake")
                                .roleARN("arn:aws:iam::123456789012:role/firehose")));
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
                endpoint: %s
                log_group: "/ecs/{{ tag[0] }}"
                log_stream: "stream-{{ tag[1] }}"
                auto_create_group: true
                retention_days: 7
                flush_interval: 200ms
              lake:
                type: firehose
                region: us-east-1
                endpoint: %s
                delivery_stream: lake-stream
                flush_interval: 200ms
            routes:
              - to: [app_logs, lake]
            """
                .formatted(dir, endpoint, endpoint));
        try (NettyLoops loops = NettyLoops.create(1);
            AwsClients aws = new AwsClients(loops, false)) {
          OutputCatalog catalog =
              new OutputCatalog(
                  List.of(
                      new CloudWatchLogsOutputType(aws::cloudWatchLogs),
                      new FirehoseOutputType(aws::firehose)));
          RouterRuntime router =
              RouterRuntime.start(
                  new RouterRuntime.Options(
                      dir.resolve("config.yaml"), Map.of(), Map.of(), Clock.systemUTC(), loops),
                  catalog,
                  TemplateScope.EMPTY);
          try {
            FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
            builder.setAckResponseMode(true);
            builder.setReadTimeoutMilli(60_000); // moto's first calls to each service are slow
            try (Fluency fluency =
                builder.build("127.0.0.1", router.forwardAddress().orElseThrow().getPort())) {
              for (int i = 0; i < COUNT; i++) {
                fluency.emit("web.a", Map.of("seq", i, "log", "line " + i));
              }
              fluency.flush();
              assertThat(fluency.waitUntilAllBufferFlushed(30))
                  .as("acked only after both outputs delivered")
                  .isTrue();
            }
          } finally {
            assertThat(router.shutdown(Duration.ofSeconds(10)).isClean()).isTrue();
            router.close();
          }
        }
        List<String> messages = new ArrayList<>();
        logs.getLogEvents(
                b ->
                    b.logGroupName("/ecs/web")
                        .logStreamName("stream-a")
                        .startFromHead(true)
                        .limit(10000))
            .events()
            .forEach(e -> messages.add(e.message()));
        assertThat(messages).hasSize(COUNT);
        assertThat(seqs(messages)).hasSize(COUNT);
        assertThat(
                logs.describeLogGroups(b -> b.logGroupNamePrefix("/ecs/web"))
                    .logGroups()
                    .get(0)
                    .retentionInDays())
            .isEqualTo(7);

        List<String> firehoseLines = new ArrayList<>();
        Await.until(
            Duration.ofSeconds(20),
            () -> !s3.listObjectsV2(b -> b.bucket("lake")).contents().isEmpty(),
            () -> "no object in the lake bucket");
        for (var o : s3.listObjectsV2(b -> b.bucket("lake")).contents()) {
          String body = s3.getObjectAsBytes(b -> b.bucket("lake").key(o.key())).asUtf8String();
          new BufferedReader(new StringReader(body))
              .lines()
              .filter(l -> !l.isBlank())
              .forEach(firehoseLines::add);
        }
        assertThat(firehoseLines).hasSize(COUNT);
        assertThat(seqs(firehoseLines)).hasSize(COUNT);
      }
    }
  }

  private static Set<Integer> seqs(List<String> jsonLines) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<Integer> out = new HashSet<>();
    for (String line : jsonLines) {
      out.add(json.readTree(line).get("seq").asInt());
    }
    return out;
  }
}
