package dev.firelensrouter.event;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts who still owes an answer for one chunk. The router holds one reference while it routes the
 * chunk and {@link #retain() retains} one more for every event it hands to a destination; a
 * destination {@link #release() releases} its reference once it has taken responsibility for the
 * event (delivered, written to disk, dead-lettered, or dropped by a rule). When the count reaches
 * zero the chunk is complete and its ack may be written.
 */
public final class ChunkTicket {
  private static final Runnable NOTHING = () -> {};

  private final AtomicInteger pending = new AtomicInteger(1);
  private final Runnable onComplete;

  public ChunkTicket(Runnable onComplete) {
    this.onComplete = onComplete;
  }

  /** A ticket nobody waits on (no ack requested, or acked on receipt). */
  public static ChunkTicket untracked() {
    return new ChunkTicket(NOTHING);
  }

  public void retain() {
    pending.incrementAndGet();
  }

  public void release() {
    int left = pending.decrementAndGet();
    if (left == 0) {
      onComplete.run();
    } else if (left < 0) {
      throw new IllegalStateException("chunk ticket released more often than retained");
    }
  }

  public boolean isComplete() {
    return pending.get() == 0;
  }
}
