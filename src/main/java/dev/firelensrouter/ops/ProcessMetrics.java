package dev.firelensrouter.ops;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JVM basics (heap, GC, buffer pools, threads; {@code process_*} with CPU, RSS and open files) and
 * what a sidecar's memory limit really sees: the resident set from {@code /proc/self/status}, the
 * direct memory Netty's pooled allocator holds and the most direct memory the JVM allows.
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
        .help("Direct memory held by Netty's buffer allocator (its pooled arenas)")
        .callback(cb -> cb.call(nettyDirectBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("firelens_router_direct_memory_max_bytes")
        .help("The most direct memory the JVM allows (-XX:MaxDirectMemorySize or the heap maximum)")
        .callback(cb -> cb.call(PlatformDependent.maxDirectMemory()))
        .register(registry);
  }

  /**
   * Netty counts its direct memory itself only when it may bypass the JDK's cleaner, which it may
   * not on a default JDK 17; its allocator's own metric holds either way. (The JDK's count of every
   * direct buffer, Netty's included, is {@code jvm_buffer_pool_used_bytes{pool="direct"}}.)
   */
  static double nettyDirectBytes() {
    if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
      return provider.metric().usedDirectMemory();
    }
    long counted = PlatformDependent.usedDirectMemory();
    return counted >= 0 ? counted : Double.NaN;
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
