package dev.firelensrouter.sink.s3;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.OutputType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * {@code type: s3}. The process gives it a factory of SDK clients (the shared {@code aws} client
 * factory in production, a test's own client in tests).
 */
public final class S3OutputType implements OutputType<S3Config> {
  static final long MIB = 1024L * 1024;
  private static final List<String> KEYS =
      List.of(
          "bucket",
          "key",
          "compression",
          "max_object_size",
          "upload_after",
          "format",
          "message_key",
          "content_type",
          "storage_class",
          "server_side_encryption",
          "kms_key_id",
          "region",
          "endpoint",
          "role_arn",
          "path_style",
          "fsync",
          "max_disk",
          "when_full",
          "multipart_threshold",
          "part_size",
          "max_attempts");

  private final Function<S3ClientOptions, S3AsyncClient> clients;
  private final Map<PrometheusRegistry, S3Metrics> metrics = new IdentityHashMap<>();

  /**
   * @param clients builds (or hands out a shared) client for an output's region, endpoint and role;
   *     the endpoint it receives already has {@code run --sandbox}'s override applied
   */
  public S3OutputType(Function<S3ClientOptions, S3AsyncClient> clients) {
    this.clients = clients;
  }

  @Override
  public String type() {
    return "s3";
  }

  @Override
  public List<String> keys() {
    return KEYS;
  }

  @Override
  public Optional<S3Config> validate(OutputSpec spec, Problems problems) {
    MapNode o = spec.options();
    String section = "output '" + spec.name() + "' (type s3)";
    o.rejectUnknownKeys(
        java.util.stream.Stream.concat(java.util.stream.Stream.of("type"), KEYS.stream()).toList(),
        "output '" + spec.name() + "'",
        problems);
    Optional<String> bucket = o.requiredString("bucket", section, problems);
    Compression compression =
        Compression.of(
            o.oneOf("compression", List.of("gzip", "zstd", "none"), problems).orElse("gzip"));
    S3Config.Format format =
        o.oneOf("format", List.of("jsonl", "message"), problems).orElse("jsonl").equals("message")
            ? S3Config.Format.MESSAGE
            : S3Config.Format.JSONL;
    String key = o.string("key", problems).orElse(S3Keys.defaultKey(compression));
    boolean keyOk = true;
    try {
      Template.compile(key, ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      problems.error(o.locationOf("key"), "'key' is not a valid template: " + e.getMessage());
      keyOk = false;
    }
    long maxObject = o.size("max_object_size", problems).orElse(50 * MIB);
    long partSize = o.size("part_size", problems).orElse(8 * MIB);
    if (partSize < S3Config.MIN_PART) {
      problems.error(
          o.locationOf("part_size"), "'part_size' must be at least 5MiB (S3's smallest part)");
    }
    long threshold = o.size("multipart_threshold", problems).orElse(16 * MIB);
    Duration uploadAfter = o.duration("upload_after", problems).orElse(Duration.ofMinutes(5));
    Optional<String> sse =
        o.oneOf("server_side_encryption", List.of("AES256", "aws:kms"), problems);
    Optional<String> kms = o.string("kms_key_id", problems);
    if (kms.isPresent() && !sse.equals(Optional.of("aws:kms"))) {
      problems.error(
          o.locationOf("kms_key_id"), "'kms_key_id' needs 'server_side_encryption: aws:kms'");
    }
    Optional<URI> endpoint = Optional.empty();
    Optional<String> endpointText = o.string("endpoint", problems);
    if (endpointText.isPresent()) {
      try {
        endpoint = Optional.of(URI.create(endpointText.get()));
      } catch (IllegalArgumentException e) {
        problems.error(o.locationOf("endpoint"), "'endpoint' is not a URL: " + e.getMessage());
      }
    }
    S3ClientOptions client =
        new S3ClientOptions(
            o.string("region", problems),
            endpoint,
            o.string("role_arn", problems),
            o.bool("path_style", endpoint.isPresent(), problems));
    S3Config.Fsync fsync =
        S3Config.Fsync.valueOf(
            o.oneOf("fsync", List.of("batch", "always", "never"), problems)
                .orElse("batch")
                .toUpperCase(java.util.Locale.ROOT));
    boolean block =
        o.oneOf("when_full", List.of("block", "drop_newest"), problems)
            .orElse("block")
            .equals("block");
    long maxDisk = o.size("max_disk", problems).orElse(1024 * MIB);
    long maxAttempts = o.integer("max_attempts", 1, 1000, problems).orElse(10L);
    String messageKey = o.string("message_key", problems).orElse("log");
    String contentType =
        o.string("content_type", problems).orElse(compression.defaultContentType());
    if (bucket.isEmpty() || !keyOk || partSize < S3Config.MIN_PART) {
      return Optional.empty();
    }
    return Optional.of(
        new S3Config(
            bucket.get(),
            key,
            compression,
            maxObject,
            uploadAfter,
            format,
            messageKey,
            contentType,
            o.string("storage_class", problems),
            sse,
            kms,
            client,
            fsync,
            maxDisk,
            block,
            threshold,
            partSize,
            (int) maxAttempts));
  }

  private synchronized S3Metrics metricsFor(DestinationContext context) {
    return metrics.computeIfAbsent(context.registry(), S3Metrics::new);
  }

  @Override
  public Destination create(S3Config config, DestinationContext context) {
    S3ClientOptions options = config.client();
    Optional<URI> override = context.endpointOverride("s3");
    if (override.isPresent()) {
      options = new S3ClientOptions(options.region(), override, options.roleArn(), true);
    }
    S3Uploads sdk = new SdkS3Uploads(clients.apply(options), config);
    // service.aws_requests_per_second.s3: one cap shared by every S3 output of the process.
    S3Uploads uploads =
        context
            .requestCaps()
            .forService("s3")
            .<S3Uploads>map(
                cap -> new PacedS3Uploads(sdk, cap, context.scheduler(), System::nanoTime))
            .orElse(sdk);
    return new S3Destination(
        config, context, uploads, metricsFor(context).forOutput(context.name()));
  }
}
