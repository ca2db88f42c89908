package dev.firelensrouter.sink;

import dev.firelensrouter.event.TemplateScope;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the process gives every destination it builds.
 *
 * @param name the output's name
 * @param memory bytes this output may buffer in memory: its share of {@code service.memory_budget}
 *     (0 for outputs that do not buffer in memory)
 * @param dataDir {@code service.data_dir} (S3 staging under {@code s3/<output>/}, disk spills under
 *     {@code spool/<output>/})
 * @param scheduler the one scheduler thread for linger timers, retries and deadlines
 * @param scope ECS values for templates
 * @param endpointOverrides set by {@code run --sandbox}: AWS service ({@code logs}, {@code
 *     firehose}, {@code s3}) to the emulator's endpoint; it wins over an output's own endpoint
 * @param requestCaps {@code service.aws_requests_per_second}: request caps shared per AWS service
 * @param requests where a request the router thread made ready is handed to its sender: building,
 *     marshalling and signing an AWS request (base64 of 500 Firehose records, say) then run there,
 *     not on the one thread that routes every record
 */
public record DestinationContext(
    String name,
    OutputMetrics metrics,
    DeadLetterFile deadLetters,
    MemoryShare memory,
    Path dataDir,
    Clock clock,
    ScheduledExecutorService scheduler,
    TemplateScope scope,
    PrometheusRegistry registry,
    Map<String, URI> endpointOverrides,
    RequestRateCaps requestCaps,
    Executor requests) {

  /** A context with a fixed memory quota whose requests are sent on the thread that made them. */
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
      Map<String, URI> endpointOverrides,
      RequestRateCaps requestCaps) {
    this(
        name,
        metrics,
        deadLetters,
        new MemoryShare(memoryQuota),
        dataDir,
        clock,
        scheduler,
        scope,
        registry,
        endpointOverrides,
        requestCaps,
        Runnable::run);
  }

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

  /** The bytes this output may buffer in memory now. */
  public long memoryQuota() {
    return memory.bytes();
  }

  public Optional<URI> endpointOverride(String service) {
    return Optional.ofNullable(endpointOverrides.get(service));
  }
}
