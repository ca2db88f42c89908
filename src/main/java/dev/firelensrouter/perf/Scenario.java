package dev.firelensrouter.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firelensrouter.config.Units;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A scenario file ({@code perf/scenarios/*.yaml}).
 *
 * @param config the router config to run, relative to the scenario file; its forward listener must
 *     be on {@code 127.0.0.1:24224} unless {@code target} says otherwise
 * @param sigtermAfter send SIGTERM to the router this long into the load (null: at the end)
 * @param tag the records' tag (routes match on it)
 * @param faults emulator faults over time; with any, the harness runs the emulators itself
 * @param countRecords false for outputs that keep nothing (null): the verdict then compares the
 *     router's own drain summary of delivered records with what was acked
 * @param phases a rate that changes over time ({@code phases: [{for: 30s, rate: 2000}, ...]});
 *     empty: {@code rate} for {@code duration}
 * @param jvmOptions the router JVM's options (default: the container image's heap and GC)
 * @param warmup load at {@code rate} before the measured {@code duration}: its records are counted
 *     like all others, its rate and latencies are not; faults and {@code sigterm_after} count from
 *     its end
 */
public record Scenario(
    String name,
    Path config,
    String target,
    long rate,
    Duration duration,
    int recordSize,
    int connections,
    String mode,
    boolean ack,
    int batch,
    Duration sigtermAfter,
    String tag,
    boolean countRecords,
    java.util.List<Fault> faults,
    String description,
    java.util.List<dev.firelensrouter.loadgen.RatePhase> phases,
    java.util.List<String> jvmOptions,
    Duration warmup) {
  /**
   * What the container image runs with, at a 512 MiB heap: SerialGC, a small metaspace, native
   * memory the JVM freed given back to the OS every 5 s (about 8 MiB of RSS with CloudWatch and
   * Firehose at 20k records/s); and a fixed initial heap, because the JVM's default (1/64 of the
   * machine's memory: 384 MiB on a 24 GiB build machine) is one no container-sized router has, and
   * RSS would follow it.
   */
  static final java.util.List<String> DEFAULT_JVM = defaultJvm(Runtime.version().feature());

  static java.util.List<String> defaultJvm(int javaFeature) {
    java.util.List<String> options =
        new java.util.ArrayList<>(
            java.util.List.of(
                "-Xmx512m",
                "-Xms128m",
                "-XX:+UseSerialGC",
                "-XX:SurvivorRatio=4",
                "-XX:MaxMetaspaceSize=96m"));
    if (javaFeature < 22) {
      options.add("-XX:+UnlockExperimentalVMOptions"); // a product flag from Java 22 on
    }
    options.add("-XX:TrimNativeHeapInterval=5000");
    return java.util.List.copyOf(options);
  }

  private static java.util.List<dev.firelensrouter.loadgen.RatePhase> phases(JsonNode list) {
    java.util.List<dev.firelensrouter.loadgen.RatePhase> out = new java.util.ArrayList<>();
    list.forEach(
        p ->
            out.add(
                new dev.firelensrouter.loadgen.RatePhase(
                    Units.parseDuration(p.path("for").asText()).orElseThrow(),
                    p.path("rate").asLong())));
    return out;
  }

  private static java.util.List<String> strings(JsonNode list, java.util.List<String> fallback) {
    if (!list.isArray()) {
      return fallback;
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    list.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static java.util.List<Fault> faults(JsonNode list) {
    java.util.List<Fault> out = new java.util.ArrayList<>();
    list.forEach(f -> out.add(Fault.read(f)));
    return out;
  }

  private static Duration warmup(JsonNode n) throws IOException {
    if (!n.has("warmup")) {
      return Duration.ZERO;
    }
    if (n.path("phases").isArray() && !n.path("phases").isEmpty()) {
      throw new IOException(
          "warmup and phases do not go together: make the first phase the warm-up");
    }
    return Units.parseDuration(n.get("warmup").asText())
        .orElseThrow(() -> new IOException("warmup: not a duration: " + n.get("warmup").asText()));
  }

  public static Scenario read(Path file) throws IOException {
    JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    Duration duration = Units.parseDuration(n.path("duration").asText("30s")).orElseThrow();
    if (n.path("phases").isArray() && !n.path("phases").isEmpty()) {
      duration = Duration.ZERO;
      for (JsonNode p : n.path("phases")) {
        duration = duration.plus(Units.parseDuration(p.path("for").asText()).orElseThrow());
      }
    }
    return new Scenario(
        n.path("name").asText(name),
        file.toAbsolutePath()
            .getParent()
            .resolve(n.path("config").asText("../configs/null.yaml"))
            .normalize(),
        n.path("target").asText("127.0.0.1:24224"),
        n.path("rate").asLong(0),
        duration,
        Units.parseSize(n.path("record_size").asText("1KiB")).orElseThrow().intValue(),
        n.path("connections").asInt(4),
        n.path("mode").asText("packed"),
        n.path("ack").asBoolean(true),
        n.path("batch").asInt(100),
        n.has("sigterm_after")
            ? Units.parseDuration(n.get("sigterm_after").asText()).orElseThrow()
            : null,
        n.path("tag").asText("app-firelens-perf0000000000000000"),
        n.path("count_records").asBoolean(true),
        faults(n.path("faults")),
        n.path("description").asText(""),
        phases(n.path("phases")),
        strings(n.path("jvm_options"), DEFAULT_JVM),
        warmup(n));
  }
}
