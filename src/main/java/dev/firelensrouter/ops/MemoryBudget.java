package dev.firelensrouter.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The default {@code service.memory_budget}: a quarter of the container's cgroup memory limit (v2
 * {@code memory.max}, else v1 {@code memory.limit_in_bytes}), never more than half the heap
 * (buffered records live on the heap), and within 16 MiB .. 1 GiB.
 */
public final class MemoryBudget {
  private static final long MIN = 16L << 20;
  private static final long MAX = 1L << 30;

  private MemoryBudget() {}

  public static long resolve(long configured, Path cgroupRoot, long maxHeap) {
    if (configured > 0) {
      return configured;
    }
    long fromHeap = maxHeap / 2;
    long fromCgroup = cgroupLimit(cgroupRoot).orElse(Long.MAX_VALUE) / 4;
    return Math.max(MIN, Math.min(MAX, Math.min(fromHeap, fromCgroup)));
  }

  static OptionalLong cgroupLimit(Path root) {
    for (Path p :
        new Path[] {root.resolve("memory.max"), root.resolve("memory/memory.limit_in_bytes")}) {
      try {
        String text = Files.readString(p).trim();
        if (text.equals("max")) {
          return OptionalLong.empty();
        }
        long v = Long.parseLong(text);
        // cgroup v1 reports "no limit" as a huge number near Long.MAX_VALUE.
        return v <= 0 || v >= (1L << 60) ? OptionalLong.empty() : OptionalLong.of(v);
      } catch (IOException | NumberFormatException e) {
        // not this cgroup version; try the next
      }
    }
    return OptionalLong.empty();
  }
}
