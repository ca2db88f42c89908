package dev.firelensrouter.sink;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Map;
import java.util.TreeMap;

/**
 * One output's ledger: every record it received is in exactly one place, delivered, dead-lettered,
 * dropped (with a reason), buffered or in flight. Moves between places are single calls under one
 * lock, and {@link DeliveryMetrics} reads the whole ledger under the same lock, so {@code received
 * = delivered + dead_lettered + dropped + buffered + in_flight} holds in every scrape, not only at
 * rest. Request outcomes, retries and latency are plain metrics beside it.
 */
public final class OutputMetrics {
  private final DeliveryMetrics families;
  private final String output;
  private final CounterDataPoint retries;
  private final DistributionDataPoint latency;

  private volatile SpoolGauges spool;
  private long received;
  private long delivered;
  private long buffered;
  private long inFlight;
  private final Map<String, Long> dropped = new TreeMap<>();
  private final Map<String, Long> deadLettered = new TreeMap<>();

  OutputMetrics(DeliveryMetrics families, String output) {
    this.families = families;
    this.output = output;
    this.retries = families.retries.labelValues(output);
    this.latency = families.latency.labelValues(output);
  }

  /** The ledger at one instant. */
  public record Snapshot(
      long received,
      long delivered,
      long buffered,
      long inFlight,
      Map<String, Long> dropped,
      Map<String, Long> deadLettered) {
    public long droppedTotal() {
      return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deadLetteredTotal() {
      return deadLettered.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True when every received record is accounted for. */
    public boolean balanced() {
      return received == delivered + deadLetteredTotal() + droppedTotal() + buffered + inFlight;
    }
  }

  public String output() {
    return output;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(
        received, delivered, buffered, inFlight, Map.copyOf(dropped), Map.copyOf(deadLettered));
  }

  // Arrivals: a record the router handed over goes straight to one place.

  /** Received and kept (buffered, not yet sent). */
  public synchronized void receivedBuffered(long n) {
    received += n;
    buffered += n;
  }

  /** Received and delivered at once (outputs without a buffer). */
  public synchronized void receivedDelivered(long n) {
    received += n;
    delivered += n;
  }

  /** Received and dropped at once, for a reason. */
  public synchronized void receivedDropped(String reason, long n) {
    received += n;
    dropped.merge(reason, n, Long::sum);
  }

  /** Received and dead-lettered at once, for a reason. */
  public synchronized void receivedDeadLettered(String reason, long n) {
    received += n;
    deadLettered.merge(reason, n, Long::sum);
  }

  // Moves of buffered records.

  /** Buffered records went out in a request. */
  public synchronized void sent(long n) {
    buffered -= n;
    inFlight += n;
  }

  public synchronized void bufferedDelivered(long n) {
    buffered -= n;
    delivered += n;
  }

  public synchronized void bufferedDeadLettered(String reason, long n) {
    buffered -= n;
    deadLettered.merge(reason, n, Long::sum);
  }

  public synchronized void bufferedDropped(String reason, long n) {
    buffered -= n;
    dropped.merge(reason, n, Long::sum);
  }

  // Outcomes of requests.

  public synchronized void inFlightDelivered(long n) {
    inFlight -= n;
    delivered += n;
  }

  /** Failed entries wait for another try: back to buffered, counted as retries. */
  public synchronized void inFlightRetried(long n) {
    inFlight -= n;
    buffered += n;
    retries.inc(n);
  }

  public synchronized void inFlightDeadLettered(String reason, long n) {
    inFlight -= n;
    deadLettered.merge(reason, n, Long::sum);
  }

  /**
   * An answered record could be neither delivered nor dead-lettered (the dead-letter write failed).
   */
  public synchronized void inFlightDropped(String reason, long n) {
    inFlight -= n;
    dropped.merge(reason, n, Long::sum);
  }

  /** In-flight records go back to buffered without counting a retry (an upload put back). */
  public synchronized void inFlightReturned(long n) {
    inFlight -= n;
    buffered += n;
  }

  // The disk spill of a batching output.

  /** What the output's spool holds, read at each scrape. */
  public interface SpoolGauges {
    /** Records on disk waiting to be read back into memory. */
    long records();

    /** Bytes of segment files on disk. */
    long bytes();
  }

  /** Shows {@code gauges} as this output's spool (a reload's new instance replaces the old one). */
  public void spool(SpoolGauges gauges) {
    this.spool = gauges;
  }

  SpoolGauges spool() {
    return spool;
  }

  /** Records found in the spool at start-up, counted received (and buffered) again. */
  public synchronized void spoolRecovered(long n) {
    received += n;
    buffered += n;
    families.spoolRecovered.labelValues(output).inc(n);
  }

  /**
   * Segments found damaged (cut at start-up, or unreadable later), and the bytes lost with them.
   */
  public void spoolDamaged(long segments, long bytes) {
    families.spoolDamagedSegments.labelValues(output).inc(segments);
    families.spoolLostBytes.labelValues(output).inc(bytes);
  }

  public void retried(long n) {
    retries.inc(n);
  }

  /** The record was changed to be deliverable (truncated, re-stamped); it is still counted once. */
  public void altered(String reason) {
    families.altered.labelValues(output, reason).inc();
  }

  public void request(String outcome) {
    families.requests.labelValues(output, outcome).inc();
  }

  public void latencySeconds(double seconds) {
    latency.observe(seconds);
  }

  public synchronized long buffered() {
    return buffered;
  }

  public synchronized long inFlight() {
    return inFlight;
  }

  public synchronized long receivedCount() {
    return received;
  }

  public synchronized long deliveredCount() {
    return delivered;
  }

  synchronized long droppedCount(String reason) {
    return dropped.getOrDefault(reason, 0L);
  }
}
