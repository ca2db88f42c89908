package dev.firelensrouter.sink;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The per-output delivery metrics of CONTRACT.md, registered once per registry. Each output takes
 * its {@link OutputMetrics} view with {@link #forOutput}. The accounting invariant is, per output:
 * {@code received = delivered + dead_lettered + dropped + buffered + in_flight}.
 */
public final class DeliveryMetrics {
  final Counter received;
  final Counter delivered;
  final Counter dropped;
  final Counter deadLettered;
  final Gauge buffered;
  final Gauge inFlight;
  final Counter requests;
  final Counter retries;
  final Histogram latency;
  private final ConcurrentMap<String, OutputMetrics> outputs = new ConcurrentHashMap<>();

  public DeliveryMetrics(PrometheusRegistry registry) {
    received =
        Counter.builder()
            .name("firelens_router_output_records_received_total")
            .help("Records handed to an output by the router")
            .labelNames("output")
            .register(registry);
    delivered =
        Counter.builder()
            .name("firelens_router_records_delivered_total")
            .help("Records an output delivered (or, for S3, staged on disk and uploaded)")
            .labelNames("output")
            .register(registry);
    dropped =
        Counter.builder()
            .name("firelens_router_records_dropped_total")
            .help("Records dropped on purpose, by reason")
            .labelNames("output", "reason")
            .register(registry);
    deadLettered =
        Counter.builder()
            .name("firelens_router_records_dead_lettered_total")
            .help("Records written to the dead-letter file, by reason")
            .labelNames("output", "reason")
            .register(registry);
    buffered =
        Gauge.builder()
            .name("firelens_router_records_buffered")
            .help("Records held by an output, not yet sent")
            .labelNames("output")
            .register(registry);
    inFlight =
        Gauge.builder()
            .name("firelens_router_records_in_flight")
            .help("Records in requests sent and not yet answered")
            .labelNames("output")
            .register(registry);
    requests =
        Counter.builder()
            .name("firelens_router_requests_total")
            .help("Requests to a destination's API, by outcome")
            .labelNames("output", "outcome")
            .register(registry);
    retries =
        Counter.builder()
            .name("firelens_router_retries_total")
            .help("Records sent again after a failure")
            .labelNames("output")
            .register(registry);
    latency =
        Histogram.builder()
            .name("firelens_router_delivery_latency_seconds")
            .help("From receipt to delivery, per record batch")
            .labelNames("output")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
  }

  public OutputMetrics forOutput(String output) {
    return outputs.computeIfAbsent(output, name -> new OutputMetrics(this, name));
  }
}
