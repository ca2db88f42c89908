package dev.firelensrouter.loadgen;

import java.time.Duration;
import java.util.List;

/**
 * One load run.
 *
 * @param host target host (ignored when {@code unixPath} is set)
 * @param rate records per second over all connections; 0 = as fast as the target takes them
 * @param recordSize bytes of the {@code log} field
 * @param batch records per Forward request
 * @param duration how long to send; {@code count} stops earlier when positive
 * @param phases a rate that changes over time (empty: {@code rate} throughout)
 * @param warmup the first part of {@code duration} whose round trips are left out of {@link
 *     LoadGenerator#latencies} (the JIT of the target is still compiling then)
 */
public record LoadSpec(
    String host,
    int port,
    String unixPath,
    long rate,
    int recordSize,
    int connections,
    Mode mode,
    boolean ack,
    int batch,
    Duration duration,
    long count,
    String tag,
    Duration ackTimeout,
    List<RatePhase> phases,
    Duration warmup) {

  /** How records are framed on the wire. */
  public enum Mode {
    MESSAGE,
    FORWARD,
    PACKED,
    COMPRESSED
  }
}
