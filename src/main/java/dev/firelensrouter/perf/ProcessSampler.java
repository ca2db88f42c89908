package dev.firelensrouter.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples a process's RSS and CPU from {@code /proc} twice a second. */
final class ProcessSampler implements AutoCloseable {
  /** One sample: seconds since start, resident MiB, CPU in cores used since the last sample. */
  record Sample(double seconds, double rssMiB, double cpuCores) {}

  private static final double TICKS = 100.0; // USER_HZ on Linux

  private final long pid;
  private final long start = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sampler");
            t.setDaemon(true);
            return t;
          });
  private long lastTicks = -1;
  private long lastNanos;

  ProcessSampler(long pid) {
    this.pid = pid;
    timer.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    try {
      long rssKb = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      if (rssKb == 0) {
        return; // exiting: nothing resident to report
      }
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      long now = System.nanoTime();
      double cores = lastTicks < 0 ? 0 : (ticks - lastTicks) / TICKS / ((now - lastNanos) / 1e9);
      lastTicks = ticks;
      lastNanos = now;
      samples.add(new Sample((now - start) / 1e9, rssKb / 1024.0, cores));
    } catch (IOException | RuntimeException e) {
      // the process has gone: no more samples
    }
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  double maxRssMiB() {
    return samples().stream().mapToDouble(Sample::rssMiB).max().orElse(0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
