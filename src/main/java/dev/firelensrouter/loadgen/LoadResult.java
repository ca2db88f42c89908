package dev.firelensrouter.loadgen;

/** What a run did. {@code acked} is 0 when acks were off. */
public record LoadResult(
    long sent, long acked, long bytes, long retries, long failedConnections, double seconds) {
  public double recordsPerSecond() {
    return seconds > 0 ? sent / seconds : 0;
  }

  public double megabytesPerSecond() {
    return seconds > 0 ? bytes / seconds / 1_000_000.0 : 0;
  }

  /** The final line {@code loadgen} prints. */
  public String summary() {
    return String.format(
        "loadgen: %d records in %.1f s: %.0f records/s, %.1f MB/s, %d acked, %d retried, %d connection failures",
        sent, seconds, recordsPerSecond(), megabytesPerSecond(), acked, retries, failedConnections);
  }
}
