package dev.firelensrouter.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the deadline is a failure, not a wait. */
public final class Await {
  private Await() {}

  public static void until(
      Duration timeout, BooleanSupplier condition, Supplier<String> whatFailed) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + timeout + ": " + whatFailed.get());
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + whatFailed.get(), e);
      }
    }
  }
}
