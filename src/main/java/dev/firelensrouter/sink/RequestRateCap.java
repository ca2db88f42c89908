package dev.firelensrouter.sink;

/**
 * A token bucket on requests per second and, optionally, bytes per second: the pace an AWS quota
 * allows (PutLogEvents per account, PutRecordBatch requests and bytes per Firehose stream). A
 * request may take the bucket into debt (a 4 MiB batch on a 1 MiB/s stream), and the next one then
 * waits until the debt is paid, so the average rate holds without refusing large batches. Time is
 * passed in by the caller, so tests move it by hand.
 */
public final class RequestRateCap {
  private static final long SECOND = 1_000_000_000L;

  private final double requestsPerSecond;
  private final double bytesPerSecond;
  private double requestTokens;
  private double byteTokens;
  private long lastNanos;
  private boolean started;

  /**
   * @param requestsPerSecond at most this many requests per second on average (0: no limit)
   * @param bytesPerSecond at most this many bytes per second on average (0: no limit)
   */
  public RequestRateCap(double requestsPerSecond, double bytesPerSecond) {
    this.requestsPerSecond = requestsPerSecond;
    this.bytesPerSecond = bytesPerSecond;
    this.requestTokens = Math.max(1, requestsPerSecond);
    this.byteTokens = bytesPerSecond;
  }

  /**
   * Whether one more request may go now, without taking anything: the caller takes the batch, then
   * {@link #charge charges} what it really sends.
   *
   * @return 0 when it may go, else the nanoseconds until it may be asked again
   */
  public synchronized long waitNanos(long nowNanos) {
    refill(nowNanos);
    long wait = 0;
    if (requestsPerSecond > 0 && requestTokens < 1) {
      wait = (long) ((1 - requestTokens) / requestsPerSecond * SECOND);
    }
    if (bytesPerSecond > 0 && byteTokens < 0) {
      wait = Math.max(wait, (long) (-byteTokens / bytesPerSecond * SECOND));
    }
    return wait;
  }

  /** Counts one request of {@code bytes} that went out (it may take the byte bucket into debt). */
  public synchronized void charge(long nowNanos, long bytes) {
    refill(nowNanos);
    if (requestsPerSecond > 0) {
      requestTokens -= 1;
    }
    if (bytesPerSecond > 0) {
      byteTokens -= bytes;
    }
  }

  /**
   * Takes one request of {@code bytes} if the bucket allows it now.
   *
   * @return 0 when taken, else the nanoseconds until it may be asked again
   */
  public synchronized long tryAcquire(long nowNanos, long bytes) {
    long wait = waitNanos(nowNanos);
    if (wait == 0) {
      charge(nowNanos, bytes);
    }
    return wait;
  }

  private void refill(long nowNanos) {
    if (!started) {
      started = true;
      lastNanos = nowNanos;
      return;
    }
    double seconds = Math.max(0, nowNanos - lastNanos) / (double) SECOND;
    lastNanos = nowNanos;
    if (requestsPerSecond > 0) {
      requestTokens =
          Math.min(Math.max(1, requestsPerSecond), requestTokens + seconds * requestsPerSecond);
    }
    if (bytesPerSecond > 0) {
      byteTokens = Math.min(bytesPerSecond, byteTokens + seconds * bytesPerSecond);
    }
  }

  @Override
  public String toString() {
    return "RequestRateCap[" + requestsPerSecond + " requests/s, " + bytesPerSecond + " bytes/s]";
  }
}
