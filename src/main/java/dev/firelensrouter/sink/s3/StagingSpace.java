package dev.firelensrouter.sink.s3;

import java.util.function.BooleanSupplier;

/**
 * The encoded bytes staged on disk by one output (open and sealed files), against {@code max_disk}.
 * Shares the destination's lock so a router blocked on a full disk wakes when an upload frees room.
 */
final class StagingSpace {
  private final Object lock;
  private long used;

  StagingSpace(Object lock) {
    this.lock = lock;
  }

  void add(long bytes) {
    synchronized (lock) {
      used += bytes;
      if (bytes < 0) {
        lock.notifyAll();
      }
    }
  }

  long used() {
    synchronized (lock) {
      return used;
    }
  }

  /** Waits (the caller holds the lock) until less than {@code limit} is used or {@code stop}. */
  void awaitBelow(long limit, BooleanSupplier stop) {
    synchronized (lock) {
      while (used >= limit && !stop.getAsBoolean()) {
        try {
          lock.wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
