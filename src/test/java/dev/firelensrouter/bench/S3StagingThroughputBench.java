package dev.firelensrouter.bench;

import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.sandbox.S3Emulator;
import dev.firelensrouter.sink.DeadLetterFile;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.s3.S3Config;
import dev.firelensrouter.sink.s3.S3OutputType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Not a test: records/s of the S3 destination (router-thread staging with gzip, uploads to the
 * sandbox S3) with 1 KB nginx-like records. Run: {@code mvn -o test -Dtest=S3StagingThroughputBench
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class S3StagingThroughputBench {
  private static final int RECORDS = 400_000;

  @Test
  void measure() throws Exception {
    Path dir = Files.createTempDirectory("s3bench");
    S3Emulator s3 = new S3Emulator();
    URI endpoint = s3.start(dir.resolve("sandbox"));
    s3.createBucket("bench");
    S3AsyncClient client =
        S3AsyncClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .forcePathStyle(true)
            .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
            .build();
    S3OutputType type = new S3OutputType(o -> client);
    PrometheusRegistry registry = new PrometheusRegistry();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    DestinationContext ctx =
        new DestinationContext(
            "bench",
            new DeliveryMetrics(registry).forOutput("bench"),
            new DeadLetterFile(dir, "bench"),
            64L << 20,
            dir,
            Clock.systemUTC(),
            scheduler,
            TemplateScope.EMPTY,
            registry,
            Map.of());
    Problems p = new Problems();
    S3Config config =
        type.validate(
                new dev.firelensrouter.config.OutputSpec(
                    "bench",
                    "s3",
                    (dev.firelensrouter.config.MapNode)
                        new dev.firelensrouter.config.YamlReader("bench.yaml", n -> null, p)
                            .read(
                                "bucket: bench\nmax_object_size: 8MiB\nupload_after: 10s\n"
                                    + System.getenv().getOrDefault("S3BENCH_OPTIONS", ""))
                            .get()),
                p)
            .orElseThrow();
    Destination d = type.create(config, ctx);
    d.start();
    Random random = new Random(1);
    long raw = 0;
    long t0 = System.nanoTime();
    for (int start = 0; start < RECORDS; start += 100) {
      ChunkTicket ticket = new ChunkTicket(() -> {});
      for (int i = start; i < start + 100; i++) {
        Event e = event(random);
        raw += e.recordLength();
        d.accept("nginx.access", e, ticket);
      }
      d.onEndOfBatch();
      ticket.release();
    }
    long staged = System.nanoTime() - t0;
    DrainReport report = d.drain(Instant.now().plusSeconds(120));
    long total = System.nanoTime() - t0;
    long stored = size(dir.resolve("sandbox"));
    System.out.printf(
        "S3 bench: %d records of ~1KB: staged %.0f rec/s, staged+uploaded %.0f rec/s,"
            + " %d bytes in S3 (compression ratio ~%.1f), clean=%s%n",
        RECORDS,
        RECORDS / (staged / 1e9),
        RECORDS / (total / 1e9),
        stored,
        raw / (double) stored,
        report.isClean());
    client.close();
    s3.stop();
    scheduler.shutdownNow();
  }

  private static final String[] PATHS = {
    "/api/v1/items/", "/api/v1/orders/", "/static/js/app.", "/health", "/api/v2/search?q=", "/login"
  };
  private static final String[] AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        + " Version/18.1 Safari/605.1.15",
    "ELB-HealthChecker/2.0",
    "curl/8.5.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
  };

  /** One nginx-like access record of about 1 KB, different every time (no repeats to exploit). */
  private static Event event(Random r) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(4);
      p.packString("source").packString("stdout");
      p.packString("container_name").packString("/ecs-web-" + r.nextInt(4));
      p.packString("container_id")
          .packString("4f3c2b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b");
      StringBuilder log = new StringBuilder(1100);
      while (log.length() < 900) {
        log.append("10.0.")
            .append(r.nextInt(256))
            .append('.')
            .append(r.nextInt(256))
            .append(" - - [24/Nov/2026:20:")
            .append(10 + r.nextInt(50))
            .append(':')
            .append(10 + r.nextInt(50))
            .append(" +0000] \"GET ")
            .append(PATHS[r.nextInt(PATHS.length)])
            .append(r.nextInt(1_000_000))
            .append(" HTTP/1.1\" ")
            .append(r.nextInt(10) == 0 ? 404 : 200)
            .append(' ')
            .append(r.nextInt(100_000))
            .append(" \"-\" \"")
            .append(AGENTS[r.nextInt(AGENTS.length)])
            .append("\" rt=0.")
            .append(r.nextInt(1000))
            .append(" req=")
            .append(Long.toHexString(r.nextLong()))
            .append(' ');
      }
      p.packString("log").packString(log.toString());
      p.flush();
      return new Event(1_700_000_000L, 0, p.toByteArray());
    }
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
