package dev.firelensrouter.ops;

import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JVM basics (heap, GC, threads) and what a sidecar's memory limit really sees: the process's
 * resident set from {@code /proc/self/status}, and Netty's direct memory.
 */
final class ProcessMetrics {
  private ProcessMetrics() {}

  static void register(PrometheusRegistry registry) {
    JvmMetrics.builder().register(registry);
    GaugeWithCallback.builder()
        .name("firelens_router_process_resident_memory_bytes")
        .help("Resident set size of the process (VmRSS)")
        .callback(cb -> cb.call(residentBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("firelens_router_netty_direct_memory_bytes")
        .help("Direct memory Netty has allocated")
        .callback(cb -> cb.call(PlatformDependent.usedDirectMemory()))
        .register(registry);
  }

  static double residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
