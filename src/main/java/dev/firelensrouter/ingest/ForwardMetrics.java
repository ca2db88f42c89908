package dev.firelensrouter.ingest;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The Forward input's metrics (names from CONTRACT.md), registered once per server. */
final class ForwardMetrics {
  final Counter recordsReceived;
  final Gauge connections;
  final Counter frames;
  final Counter rejected;
  final Counter groupMarkers;
  final Counter invalidEvents;
  final Counter signalsDropped;

  ForwardMetrics(PrometheusRegistry registry) {
    recordsReceived =
        Counter.builder()
            .name("firelens_router_records_received_total")
            .help("Events accepted from Forward clients into the ring")
            .register(registry);
    connections =
        Gauge.builder()
            .name("firelens_router_forward_connections")
            .help("Open Forward connections")
            .register(registry);
    frames =
        Counter.builder()
            .name("firelens_router_forward_frames_total")
            .help("Forward requests decoded, by mode")
            .labelNames("mode")
            .register(registry);
    rejected =
        Counter.builder()
            .name("firelens_router_forward_rejected_frames_total")
            .help("Forward frames or connections refused, by reason")
            .labelNames("reason")
            .register(registry);
    groupMarkers =
        Counter.builder()
            .name("firelens_router_forward_group_markers_skipped_total")
            .help("Fluent Bit group start/end records skipped (never forwarded)")
            .register(registry);
    invalidEvents =
        Counter.builder()
            .name("firelens_router_forward_invalid_events_total")
            .help("Events skipped inside accepted requests (bad time or record); still acked")
            .register(registry);
    signalsDropped =
        Counter.builder()
            .name("firelens_router_forward_signals_dropped_total")
            .help("Fluent Bit metrics/traces requests (fluent_signal 1/2) acked and dropped")
            .labelNames("signal")
            .register(registry);
  }

  void rejected(String reason) {
    rejected.labelValues(reason).inc();
  }

  void frame(ForwardMode mode) {
    frames.labelValues(mode.label()).inc();
  }
}
