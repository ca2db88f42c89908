package dev.firelensrouter.sink;

/**
 * The bytes one output may hold in memory: its share of {@code service.memory_budget}. The process
 * may change it while the output runs (a reload adds or removes outputs that buffer in memory, and
 * the shares must still add up to the budget); the output reads it at each decision.
 */
public final class MemoryShare {
  private volatile long bytes;

  public MemoryShare(long bytes) {
    this.bytes = bytes;
  }

  public long bytes() {
    return bytes;
  }

  public void resize(long bytes) {
    this.bytes = bytes;
  }

  @Override
  public String toString() {
    return "MemoryShare[" + bytes + " bytes]";
  }
}
