package dev.firelensrouter.sink;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One output's view of {@link DeliveryMetrics}, with the label values bound once. Buffered and in
 * flight are kept as exact counts here and mirrored to their gauges.
 */
public final class OutputMetrics {
  private final DeliveryMetrics families;
  private final String output;
  private final CounterDataPoint received;
  private final CounterDataPoint delivered;
  private final CounterDataPoint retries;
  private final GaugeDataPoint bufferedGauge;
  private final GaugeDataPoint inFlightGauge;
  private final DistributionDataPoint latency;
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();

  OutputMetrics(DeliveryMetrics families, String output) {
    this.families = families;
    this.output = output;
    this.received = families.received.labelValues(output);
    this.delivered = families.delivered.labelValues(output);
    this.retries = families.retries.labelValues(output);
    this.bufferedGauge = families.buffered.labelValues(output);
    this.inFlightGauge = families.inFlight.labelValues(output);
    this.latency = families.latency.labelValues(output);
  }

  public String output() {
    return output;
  }

  public void received(long n) {
    received.inc(n);
  }

  public void delivered(long n) {
    delivered.inc(n);
  }

  public void dropped(String reason, long n) {
    families.dropped.labelValues(output, reason).inc(n);
  }

  public void deadLettered(String reason, long n) {
    families.deadLettered.labelValues(output, reason).inc(n);
  }

  public void request(String outcome) {
    families.requests.labelValues(output, outcome).inc();
  }

  public void retried(long n) {
    retries.inc(n);
  }

  public void latencySeconds(double seconds) {
    latency.observe(seconds);
  }

  public void addBuffered(long delta) {
    bufferedGauge.set(buffered.addAndGet(delta));
  }

  public void addInFlight(long delta) {
    inFlightGauge.set(inFlight.addAndGet(delta));
  }

  public long buffered() {
    return buffered.get();
  }

  public long inFlight() {
    return inFlight.get();
  }

  public long receivedCount() {
    return (long) received.get();
  }

  public long deliveredCount() {
    return (long) delivered.get();
  }
}
