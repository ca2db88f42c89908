package dev.firelensrouter.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.YamlReader;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.sink.DeadLetterFile;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.RequestRateCaps;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Builds S3 destinations the way the process does, against a local S3 endpoint. */
final class S3TestRig implements AutoCloseable {
  final Path dataDir;
  final S3AsyncClient client;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final DeliveryMetrics metrics = new DeliveryMetrics(registry);
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final S3OutputType type;

  S3TestRig(Path dataDir, URI endpoint) {
    this.dataDir = dataDir;
    this.client = client(endpoint);
    this.type = new S3OutputType(options -> client);
  }

  static S3AsyncClient client(URI endpoint) {
    return S3AsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .forcePathStyle(true)
        .overrideConfiguration(
            o ->
                o.retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()))
        .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Validates {@code yaml} (the output's options) as the config loader would. */
  S3Config config(String yaml) {
    Problems problems = new Problems();
    MapNode node = (MapNode) new YamlReader("test.yaml", n -> null, problems).read(yaml).get();
    S3Config c = type.validate(new OutputSpec("archive", "s3", node), problems).orElse(null);
    assertThat(problems.errors()).isEmpty();
    return c;
  }

  DestinationContext context(String name) {
    return new DestinationContext(
        name,
        metrics.forOutput(name),
        new DeadLetterFile(dataDir, name),
        64L << 20,
        dataDir,
        Clock.systemUTC(),
        scheduler,
        TemplateScope.EMPTY,
        registry,
        Map.of());
  }

  Destination start(String yaml) {
    return start(yaml, scheduler);
  }

  /** Starts the output with {@code service.aws_requests_per_second} set to {@code caps}. */
  Destination start(String yaml, RequestRateCaps caps) {
    DestinationContext c = context("archive");
    DestinationContext capped =
        new DestinationContext(
            c.name(),
            c.metrics(),
            c.deadLetters(),
            64L << 20,
            c.dataDir(),
            c.clock(),
            c.scheduler(),
            c.scope(),
            c.registry(),
            c.endpointOverrides(),
            caps);
    Destination d = type.create(config(yaml), capped);
    d.start();
    return d;
  }

  Destination start(String yaml, ScheduledExecutorService sched) {
    DestinationContext c = context("archive");
    DestinationContext withScheduler =
        new DestinationContext(
            c.name(),
            c.metrics(),
            c.deadLetters(),
            c.memoryQuota(),
            c.dataDir(),
            c.clock(),
            sched,
            c.scope(),
            c.registry(),
            c.endpointOverrides());
    Destination d = type.create(config(yaml), withScheduler);
    d.start();
    return d;
  }

  /** Sends records {@code from..to-1} as one chunk per 100 records, with end-of-batch calls. */
  static List<ChunkTicket> send(Destination d, String tag, int from, int to, int padding) {
    List<ChunkTicket> tickets = new ArrayList<>();
    String pad = "x".repeat(padding);
    for (int start = from; start < to; start += 100) {
      ChunkTicket ticket = new ChunkTicket(() -> {});
      for (int i = start; i < Math.min(to, start + 100); i++) {
        d.accept(tag, event(i, pad), ticket);
      }
      d.onEndOfBatch();
      ticket.release();
      tickets.add(ticket);
    }
    return tickets;
  }

  static Event event(int i, String pad) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(2);
      p.packString("seq");
      p.packInt(i);
      p.packString("log");
      p.packString("line " + i + " " + pad);
      p.flush();
      return new Event(1_700_000_000L + i / 1000, 0, p.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<S3Object> list(String bucket) {
    return client.listObjectsV2(r -> r.bucket(bucket)).join().contents();
  }

  byte[] get(String bucket, String key) {
    return client
        .getObject(r -> r.bucket(bucket).key(key), AsyncResponseTransformer.toBytes())
        .join()
        .asByteArray();
  }

  /** Every line of every object in the bucket, decoded. */
  List<String> lines(String bucket, Compression compression) {
    List<String> out = new ArrayList<>();
    for (S3Object o : list(bucket)) {
      try (InputStream in = compression.decoder(new ByteArrayInputStream(get(bucket, o.key())))) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
          if (!line.isEmpty()) {
            out.add(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(o.key(), e);
      }
    }
    return out;
  }

  /** The {@code seq} numbers in the lines, sorted. */
  static List<Integer> seqs(List<String> lines) {
    List<Integer> out = new ArrayList<>();
    for (String l : lines) {
      int at = l.indexOf("\"seq\":") + 6;
      int end = at;
      while (end < l.length() && Character.isDigit(l.charAt(end))) {
        end++;
      }
      out.add(Integer.parseInt(l.substring(at, end)));
    }
    out.sort(null);
    return out;
  }

  static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  /** The sum of a counter's data points, by its name without {@code _total}. */
  double counter(String name) {
    double sum = 0;
    for (MetricSnapshot m : registry.scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof CounterSnapshot c) {
        for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
          sum += p.getValue();
        }
      }
    }
    return sum;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    client.close();
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
