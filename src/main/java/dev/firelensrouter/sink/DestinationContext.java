package dev.firelensrouter.sink;

import dev.firelensrouter.event.TemplateScope;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the process gives every destination it builds.
 *
 * @param name the output's name
 * @param memoryQuota bytes this output may buffer: its share of {@code service.memory_budget}
 * @param dataDir {@code service.data_dir} (S3 staging under {@code s3/<output>/})
 * @param scheduler the one scheduler thread for linger timers, retries and deadlines
 * @param scope ECS values for templates
 * @param endpointOverrides set by {@code run --sandbox}: AWS service ({@code logs}, {@code
 *     firehose}, {@code s3}) to the emulator's endpoint; it wins over an output's own endpoint
 * @param requestCaps {@code service.aws_requests_per_second}: request caps shared per AWS service
 */
public record DestinationContext(
    String name,
    OutputMetrics metrics,
    DeadLetterFile deadLetters,
    long memoryQuota,
    Path dataDir,
    Clock clock,
    ScheduledExecutorService scheduler,
    TemplateScope scope,
    PrometheusRegistry registry,
    Map<String, URI> endpointOverrides,
    RequestRateCaps requestCaps) {

  /** A context without account-level request caps. */
  public DestinationContext(
      String name,
      OutputMetrics metrics,
      DeadLetterFile deadLetters,
      long memoryQuota,
      Path dataDir,
      Clock clock,
      ScheduledExecutorService scheduler,
      TemplateScope scope,
      PrometheusRegistry registry,
      Map<String, URI> endpointOverrides) {
    this(
        name,
        metrics,
        deadLetters,
        memoryQuota,
        dataDir,
        clock,
        scheduler,
        scope,
        registry,
        endpointOverrides,
        RequestRateCaps.NONE);
  }

  public Optional<URI> endpointOverride(String service) {
    return Optional.ofNullable(endpointOverrides.get(service));
  }
}
