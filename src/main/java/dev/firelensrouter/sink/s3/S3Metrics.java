package dev.firelensrouter.sink.s3;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The S3-only metric families, registered once per registry (the {@link S3OutputType} keeps one per
 * registry); each destination takes its {@link Output} view.
 */
final class S3Metrics {
  private final Gauge stagedBytes;
  private final Gauge oldestAge;
  private final Counter uploads;
  private final Counter bytesUploaded;
  private final Counter recoveredLost;
  private final Counter keysShortened;
  private final Counter statesUnreadable;

  S3Metrics(PrometheusRegistry registry) {
    stagedBytes =
        Gauge.builder()
            .name("firelens_router_s3_staged_bytes")
            .help("Encoded bytes in S3 staging files, open or waiting for upload")
            .labelNames("output")
            .register(registry);
    oldestAge =
        Gauge.builder()
            .name("firelens_router_s3_oldest_staged_age_seconds")
            .help("Age of the oldest staging file not yet uploaded")
            .labelNames("output")
            .register(registry);
    uploads =
        Counter.builder()
            .name("firelens_router_s3_uploads_total")
            .help("Object uploads by outcome (success, retry, dead_lettered)")
            .labelNames("output", "outcome")
            .register(registry);
    bytesUploaded =
        Counter.builder()
            .name("firelens_router_s3_uploaded_bytes_total")
            .help("Encoded bytes of objects uploaded")
            .labelNames("output")
            .register(registry);
    recoveredLost =
        Counter.builder()
            .name("firelens_router_s3_recovery_records_lost_total")
            .help("Partial records cut from the torn tail of staging files at start-up")
            .labelNames("output")
            .register(registry);
    keysShortened =
        Counter.builder()
            .name("firelens_router_s3_keys_shortened_total")
            .help("Object keys over S3's 1,024 bytes, cut before their unique part")
            .labelNames("output")
            .register(registry);
    statesUnreadable =
        Counter.builder()
            .name("firelens_router_s3_recovery_states_unreadable_total")
            .help(
                "Staging files found at start-up whose upload state was missing or unreadable;"
                    + " uploaded afresh under firelens-router/recovered/")
            .labelNames("output")
            .register(registry);
  }

  Output forOutput(String output) {
    return new Output(output);
  }

  /** One output's view. */
  final class Output {
    private final String output;

    private Output(String output) {
      this.output = output;
    }

    void stagedBytes(long bytes) {
      stagedBytes.labelValues(output).set(bytes);
    }

    void oldestAgeSeconds(double seconds) {
      oldestAge.labelValues(output).set(seconds);
    }

    void upload(String outcome) {
      uploads.labelValues(output, outcome).inc();
    }

    void uploadedBytes(long bytes) {
      bytesUploaded.labelValues(output).inc(bytes);
    }

    void recoveryLost(long records) {
      recoveredLost.labelValues(output).inc(records);
    }

    void recoveryStatesUnreadable(long files) {
      statesUnreadable.labelValues(output).inc(files);
    }

    void keyShortened() {
      keysShortened.labelValues(output).inc();
    }

    double uploads(String outcome) {
      return uploads.labelValues(output, outcome).get();
    }
  }
}
