package dev.firelensrouter.sink;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The per-output delivery metrics of CONTRACT.md, registered once per registry. Each output takes
 * its {@link OutputMetrics} view with {@link #forOutput}. The accounting invariant is, per output:
 * {@code received = delivered + dead_lettered + dropped + buffered + in_flight}.
 */
public final class DeliveryMetrics {
  final Counter requests;
  final Counter retries;
  final Counter altered;
  final Histogram latency;
  final Counter spoolRecovered;
  final Counter spoolDamagedSegments;
  final Counter spoolLostBytes;
  private final ConcurrentMap<String, OutputMetrics> outputs = new ConcurrentHashMap<>();

  public DeliveryMetrics(PrometheusRegistry registry) {
    registry.register((MultiCollector) this::collectLedgers);
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
    altered =
        Counter.builder()
            .name("firelens_router_records_altered_total")
            .help(
                "Records an output changed to make them deliverable (truncated, re-stamped), by"
                    + " reason; they are still counted once where they end up")
            .labelNames("output", "reason")
            .register(registry);
    latency =
        Histogram.builder()
            .name("firelens_router_delivery_latency_seconds")
            .help("From receipt to delivery, per record batch")
            .labelNames("output")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    spoolRecovered =
        Counter.builder()
            .name("firelens_router_spool_recovered_records_total")
            .help("Records an output found in its disk spool at start-up and sends again")
            .labelNames("output")
            .register(registry);
    spoolDamagedSegments =
        Counter.builder()
            .name("firelens_router_spool_damaged_segments_total")
            .help("Spool segments cut at a torn or corrupt frame (at start-up) or found unreadable")
            .labelNames("output")
            .register(registry);
    spoolLostBytes =
        Counter.builder()
            .name("firelens_router_spool_lost_bytes_total")
            .help("Bytes of damaged spool segments that could not be read back")
            .labelNames("output")
            .register(registry);
  }

  public OutputMetrics forOutput(String output) {
    return outputs.computeIfAbsent(output, name -> new OutputMetrics(this, name));
  }

  /** Every output's ledger, each read at one instant, so the invariant holds in every scrape. */
  private MetricSnapshots collectLedgers() {
    CounterSnapshot.Builder received =
        CounterSnapshot.builder()
            .name("firelens_router_output_records_received")
            .help("Records handed to an output by the router");
    CounterSnapshot.Builder delivered =
        CounterSnapshot.builder()
            .name("firelens_router_records_delivered")
            .help("Records an output delivered (for S3: in an uploaded object)");
    CounterSnapshot.Builder dropped =
        CounterSnapshot.builder()
            .name("firelens_router_records_dropped")
            .help("Records dropped on purpose, by reason");
    CounterSnapshot.Builder deadLettered =
        CounterSnapshot.builder()
            .name("firelens_router_records_dead_lettered")
            .help("Records written to the dead-letter file, by reason");
    GaugeSnapshot.Builder buffered =
        GaugeSnapshot.builder()
            .name("firelens_router_records_buffered")
            .help("Records held by an output, not yet sent");
    GaugeSnapshot.Builder inFlight =
        GaugeSnapshot.builder()
            .name("firelens_router_records_in_flight")
            .help("Records in requests sent and not yet answered");
    GaugeSnapshot.Builder spoolRecords =
        GaugeSnapshot.builder()
            .name("firelens_router_spool_records")
            .help(
                "Records an output holds in its disk spool, waiting to be read back (in buffered)");
    GaugeSnapshot.Builder spoolBytes =
        GaugeSnapshot.builder()
            .name("firelens_router_spool_bytes")
            .help("Bytes of an output's disk spool segments (bounded by max_disk)");
    for (OutputMetrics m : new TreeMap<>(outputs).values()) {
      OutputMetrics.Snapshot s = m.snapshot();
      OutputMetrics.SpoolGauges spool = m.spool();
      if (spool != null) {
        Labels name = Labels.of("output", m.output());
        spoolRecords.dataPoint(gauge(name, spool.records()));
        spoolBytes.dataPoint(gauge(name, spool.bytes()));
      }
      Labels output = Labels.of("output", m.output());
      received.dataPoint(counter(output, s.received()));
      delivered.dataPoint(counter(output, s.delivered()));
      buffered.dataPoint(gauge(output, s.buffered()));
      inFlight.dataPoint(gauge(output, s.inFlight()));
      s.dropped()
          .forEach((reason, n) -> dropped.dataPoint(counter(output.add("reason", reason), n)));
      s.deadLettered()
          .forEach((reason, n) -> deadLettered.dataPoint(counter(output.add("reason", reason), n)));
    }
    return new MetricSnapshots(
        received.build(),
        delivered.build(),
        dropped.build(),
        deadLettered.build(),
        buffered.build(),
        inFlight.build(),
        spoolRecords.build(),
        spoolBytes.build());
  }

  private static CounterSnapshot.CounterDataPointSnapshot counter(Labels labels, long value) {
    return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, long value) {
    return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
