package dev.firelensrouter.aws;

import dev.firelensrouter.pipeline.NettyLoops;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds and caches the SDK clients every AWS output uses, all on one Netty HTTP client running on
 * the process's I/O loops. The SDK retries at most twice more: batch retry, backoff and throttling
 * belong to the destinations. In the sandbox, static credentials are used because the emulators
 * accept any.
 */
public final class AwsClients implements AutoCloseable {
  /** Where a client points and as whom. */
  public record Target(Optional<String> region, Optional<URI> endpoint, Optional<String> roleArn) {}

  /** How long a request may wait for a connection, opening it included. */
  static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(10);

  private final SdkAsyncHttpClient http;
  private final Optional<String> defaultRegion;
  private final boolean sandbox;
  private final Map<Object, AutoCloseable> cache = new ConcurrentHashMap<>();
  private final java.util.List<StsClient> stsClients =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public AwsClients(NettyLoops loops, boolean sandbox) {
    this(loops, sandbox, DefaultRegion.fromEnvironment(System.getenv(), ""));
  }

  /**
   * @param defaultRegion the region of outputs that name none (see {@link DefaultRegion})
   */
  public AwsClients(NettyLoops loops, boolean sandbox, Optional<String> defaultRegion) {
    this.defaultRegion = sandbox ? defaultRegion.or(() -> Optional.of("us-east-1")) : defaultRegion;
    this.http =
        NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(SdkEventLoopGroup.create(loops.io()))
            .maxConcurrency(64)
            // Covers opening the connection too. Against a port that refuses connections, about
            // one acquire in 200 is never completed by the SDK's pool and fails only at this
            // timeout; at the 30 s attempt timeout such a request held its slot, and a drain,
            // that long.
            .connectionAcquisitionTimeout(ACQUIRE_TIMEOUT)
            .build();
    this.sandbox = sandbox;
  }

  /**
   * The output's own region, else the process's default; with neither, the output cannot start: a
   * guessed region would send the logs to the wrong place without a word.
   */
  public Region region(Optional<String> region) {
    return Region.of(
        region
            .or(() -> defaultRegion)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no AWS region: set 'region' on the output, or AWS_REGION in the"
                            + " environment")));
  }

  public SdkAsyncHttpClient http() {
    return http;
  }

  /** What every AWS output signs with under {@code --sandbox}. */
  public static final AwsBasicCredentials SANDBOX_CREDENTIALS =
      AwsBasicCredentials.create("sandbox", "sandbox");

  /** The SDK's own retry: STANDARD with 2 attempts in all. */
  public static ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
        .apiCallAttemptTimeout(Duration.ofSeconds(30))
        .build();
  }

  public AwsCredentialsProvider credentials(Target target) {
    if (sandbox) {
      return StaticCredentialsProvider.create(SANDBOX_CREDENTIALS);
    }
    if (target.roleArn().isPresent()) {
      StsClient sts = StsClient.builder().region(region(target.region())).build();
      stsClients.add(sts);
      return StsAssumeRoleCredentialsProvider.builder()
          .stsClient(sts)
          .refreshRequest(r -> r.roleArn(target.roleArn().get()).roleSessionName("firelens-router"))
          .build();
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /**
   * An S3 client; path-style for local endpoints, no 100-continue, checksums only when required.
   */
  public S3AsyncClient s3(Target target, boolean pathStyle) {
    return (S3AsyncClient)
        cache.computeIfAbsent(
            java.util.List.of("s3", target, pathStyle),
            k -> {
              var b =
                  S3AsyncClient.builder()
                      .httpClient(http)
                      .region(region(target.region()))
                      .credentialsProvider(credentials(target))
                      .overrideConfiguration(overrides())
                      .forcePathStyle(pathStyle)
                      .serviceConfiguration(
                          S3Configuration.builder().expectContinueEnabled(false).build())
                      .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                      .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
              target.endpoint().ifPresent(b::endpointOverride);
              return b.build();
            });
  }

  /** A Firehose client that sends the bodies the output encodes itself ({@link EncodedBody}). */
  public software.amazon.awssdk.services.firehose.FirehoseAsyncClient firehose(Target target) {
    return cached(
        "firehose",
        target,
        software.amazon.awssdk.services.firehose.FirehoseAsyncClient::builder,
        overrides().toBuilder().addExecutionInterceptor(new EncodedBody()).build());
  }

  public software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient cloudWatchLogs(
      Target target) {
    return cached(
        "logs",
        target,
        software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient::builder,
        overrides());
  }

  /** One client per service and target, on the shared HTTP client, with our region and retries. */
  @SuppressWarnings("unchecked")
  private <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder<B, C>
                  & software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>,
          C extends AutoCloseable>
      C cached(
          String service,
          Target target,
          java.util.function.Supplier<B> builder,
          ClientOverrideConfiguration override) {
    return (C)
        cache.computeIfAbsent(
            java.util.List.of(service, target),
            k -> {
              B b =
                  builder
                      .get()
                      .httpClient(http)
                      .region(region(target.region()))
                      .credentialsProvider(credentials(target))
                      .overrideConfiguration(override);
              target.endpoint().ifPresent(b::endpointOverride);
              return b.build();
            });
  }

  @Override
  public void close() {
    for (AutoCloseable c : cache.values()) {
      try {
        c.close();
      } catch (Exception e) {
        // closing at exit: nothing more to do
      }
    }
    stsClients.forEach(StsClient::close);
    http.close();
  }
}
