package dev.firelensrouter.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.firelensrouter.loadgen.LatencySamples;
import dev.firelensrouter.loadgen.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** {@code report.md}, {@code summary.json} and the PNG charts of one run. */
final class Report {
  private final Scenario scenario;
  private final LoadResult load;
  private final RecordCount.Result counted;
  private final int exit;
  private final LatencySamples latencies;
  private final List<dev.firelensrouter.loadgen.LatencyTimeline.Second> latencyOverTime;
  private final List<PerfRunner.Progress> progress;
  private final List<ProcessSampler.Sample> samples;
  private final String residue;
  private final long budget;
  private final java.util.Set<String> storesReached;
  private final String target;

  /** The target name of the router the harness starts itself (its JVM options are reported). */
  static final String ROUTER = "firelens-router";

  /** {@code target}: what ran, as the report names it ({@link #ROUTER}, "Fluent Bit", ...). */
  Report(
      Scenario scenario,
      LoadResult load,
      RecordCount.Result counted,
      int exit,
      LatencySamples latencies,
      List<dev.firelensrouter.loadgen.LatencyTimeline.Second> latencyOverTime,
      List<PerfRunner.Progress> progress,
      List<ProcessSampler.Sample> samples,
      String residue,
      long budget,
      java.util.Set<String> storesReached,
      String target) {
    this.target = target;
    this.scenario = scenario;
    this.load = load;
    this.counted = counted;
    this.exit = exit;
    this.latencies = latencies;
    this.latencyOverTime = latencyOverTime;
    this.progress = progress;
    this.samples = samples;
    this.residue = residue;
    this.budget = budget;
    this.storesReached = java.util.Set.copyOf(storesReached);
  }

  /** The figures a side-by-side comparison shows, in order. */
  Map<String, String> headline() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("verdict", uncountable() ? "n/a" : passed() ? "PASS" : "FAIL");
    h.put("records/s (acked)", String.format("%,.0f", measuredRate()));
    h.put("records acked", String.format("%,d", load.sent()));
    h.put(
        "delivered / missing / duplicates",
        scenario.countRecords()
            ? counted.delivered() + " / " + counted.missing() + " / " + counted.duplicates()
            : uncountable()
                ? "not counted (null output)"
                : deliveredBySummary() + " reported delivered (null output)");
    h.put(
        "ack latency p50 / p99 / max",
        String.format(
            "%.1f / %.1f / %.1f ms",
            latencies.quantileMillis(0.5),
            latencies.quantileMillis(0.99),
            latencies.quantileMillis(1.0)));
    if (counted.endToEnd().count() > 0) {
      h.put("end to end (send to CloudWatch ingestion) p50 / p99 / max", endToEndText());
    }
    h.put("RSS max", String.format("%.0f MiB", rssMax()));
    h.put(
        "CPU mean",
        String.format(
            "%.2f cores",
            samples.stream().mapToDouble(ProcessSampler.Sample::cpuCores).average().orElse(0)));
    h.put("exit code", String.valueOf(exit));
    return h;
  }

  /**
   * Records/s acked over the measured window: after the warm-up (from the progress snapshots), or
   * over the whole run without one.
   */
  double measuredRate() {
    if (scenario.warmup().isZero() || progress.isEmpty()) {
      return load.recordsPerSecond();
    }
    double from = scenario.warmup().toMillis() / 1000.0;
    PerfRunner.Progress last = progress.get(progress.size() - 1);
    PerfRunner.Progress start =
        progress.stream().filter(p -> p.seconds() >= from).findFirst().orElse(last);
    double seconds = last.seconds() - start.seconds();
    if (seconds < 1) {
      return load.recordsPerSecond();
    }
    return (last.sent() - start.sent()) / seconds;
  }

  private double measuredMegabytesPerSecond() {
    double rate = load.recordsPerSecond();
    return rate > 0 ? load.megabytesPerSecond() * measuredRate() / rate : 0;
  }

  /** "router" for the harness's own router, else the target's name. */
  private String shortName() {
    return target.equals(ROUTER) ? "router" : target;
  }

  String throughputText() {
    String measured =
        String.format("%.0f records/s, %.1f MB/s", measuredRate(), measuredMegabytesPerSecond());
    if (scenario.warmup().isZero()) {
      return measured;
    }
    return String.format(
        "%s after a %d s warm-up (%.0f records/s with it)",
        measured, scenario.warmup().toSeconds(), load.recordsPerSecond());
  }

  private String endToEndText() {
    return String.format(
        "%.0f / %.0f / %.0f ms",
        counted.endToEnd().quantileMillis(0.5),
        counted.endToEnd().quantileMillis(0.99),
        counted.endToEnd().quantileMillis(1.0));
  }

  private double rssMax() {
    return samples.stream().mapToDouble(ProcessSampler.Sample::rssMiB).max().orElse(0);
  }

  /** The memory bar of the destination issue: RSS under memory_budget + 64 MiB throughout. */
  String memoryLine() {
    if (budget <= 0) {
      return String.format("RSS max %.0f MiB (memory budget unknown)", rssMax());
    }
    double limit = budget / 1048576.0 + 64;
    return String.format(
        "RSS max %.0f MiB, memory_budget %.0f MiB: %s budget + 64 MiB (%.0f MiB)",
        rssMax(), budget / 1048576.0, rssMax() <= limit ? "within" : "OVER", limit);
  }

  private String loadText() {
    if (!scenario.phases().isEmpty()) {
      StringBuilder b = new StringBuilder("phases");
      scenario
          .phases()
          .forEach(p -> b.append(' ').append(p.rate()).append("/s for ").append(p.length()));
      return b.toString();
    }
    return "rate "
        + (scenario.rate() == 0 ? "unlimited" : scenario.rate() + "/s")
        + ", "
        + scenario.duration();
  }

  /** The bar: every acknowledged record delivered exactly once, and a clean exit. */
  /** The stores (output folders) that received records in this run. */
  java.util.Set<String> storesReached() {
    return storesReached;
  }

  boolean passed() {
    if (!scenario.countRecords()) {
      return exit == 0 && deliveredBySummary() == load.sent();
    }
    return counted.missing() == 0 && counted.duplicates() == 0 && exit == 0;
  }

  /** The sum of the "NAME=N delivered" figures of the router's drain summary. */
  long deliveredBySummary() {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("=(\\d+) delivered").matcher(residue);
    long total = 0;
    while (m.find()) {
      total += Long.parseLong(m.group(1));
    }
    return total;
  }

  /**
   * Nothing to count the run by: an output that keeps nothing ({@code count_records: false}) on a
   * target whose shutdown reports no delivered figures (Fluent Bit).
   */
  boolean uncountable() {
    return !scenario.countRecords() && !residue.contains(" delivered");
  }

  String verdictLine() {
    if (uncountable()) {
      return "n/a: "
          + scenario.name()
          + ": "
          + load.sent()
          + " records acked; the output keeps nothing to count and the target reports no"
          + " delivered figures, exit "
          + exit;
    }
    if (!scenario.countRecords()) {
      return (passed() ? "PASS" : "FAIL")
          + ": "
          + scenario.name()
          + ": the router reports "
          + deliveredBySummary()
          + " delivered of "
          + load.sent()
          + " acked (the output keeps nothing to count), "
          + shortName()
          + " exit "
          + exit;
    }
    return (passed() ? "PASS" : "FAIL")
        + ": "
        + scenario.name()
        + ": "
        + counted.delivered()
        + " of "
        + load.sent()
        + " acked records delivered, "
        + counted.missing()
        + " missing, "
        + counted.duplicates()
        + " duplicates, "
        + shortName()
        + " exit "
        + exit;
  }

  void write(Path dir) throws IOException {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scenario", scenario.name());
    summary.put("passed", passed());
    summary.put("records_sent_acked", load.sent());
    summary.put("records_per_second", Math.round(measuredRate()));
    summary.put("megabytes_per_second", measuredMegabytesPerSecond());
    summary.put("warmup_seconds", scenario.warmup().toSeconds());
    summary.put("records_per_second_with_warmup", Math.round(load.recordsPerSecond()));
    summary.put("delivered", counted.delivered());
    summary.put("missing", counted.missing());
    summary.put("duplicates", counted.duplicates());
    summary.put("reordered", counted.reordered());
    summary.put(
        "ack_latency_ms",
        Map.of(
            "p50",
            latencies.quantileMillis(0.5),
            "p99",
            latencies.quantileMillis(0.99),
            "max",
            latencies.quantileMillis(1.0)));
    if (counted.endToEnd().count() > 0) {
      summary.put(
          "end_to_end_ms",
          Map.of(
              "p50",
              counted.endToEnd().quantileMillis(0.5),
              "p99",
              counted.endToEnd().quantileMillis(0.99),
              "max",
              counted.endToEnd().quantileMillis(1.0)));
    }
    summary.put("rss_max_mib", rssMax());
    summary.put("memory_budget_mib", budget / 1048576.0);
    summary.put("memory", memoryLine());
    summary.put("target", target);
    if (target.equals(ROUTER)) {
      summary.put("jvm_options", scenario.jvmOptions());
    }
    summary.put(
        "cpu_mean_cores",
        samples.stream().mapToDouble(ProcessSampler.Sample::cpuCores).average().orElse(0));
    summary.put("router_exit", exit);
    summary.put("shutdown", residue);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("summary.json").toFile(), summary);
    charts(dir);
    Files.writeString(dir.resolve("report.md"), markdown(summary));
  }

  private String markdown(Map<String, Object> s) {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(scenario.name()).append("\n\n");
    if (!scenario.description().isEmpty()) {
      b.append(scenario.description()).append("\n\n");
    }
    b.append("**").append(verdictLine()).append("**\n\n");
    b.append("| | |\n|---|---|\n");
    b.append(
        row(
            "load",
            String.format(
                "%s mode, %d connections, %d B records, %s, %s",
                scenario.mode(),
                scenario.connections(),
                scenario.recordSize(),
                scenario.ack() ? "acks on" : "acks off",
                loadText())));
    b.append(row("records acked by " + shortName(), String.valueOf(load.sent())));
    b.append(row("throughput", throughputText()));
    b.append(
        row(
            "delivered / missing / duplicates",
            counted.delivered() + " / " + counted.missing() + " / " + counted.duplicates()));
    b.append(row("out of order within a stream", String.valueOf(counted.reordered())));
    b.append(
        row(
            scenario.warmup().isZero()
                ? "request to ack latency p50 / p99 / max"
                : "request to ack latency p50 / p99 / max, after the warm-up",
            String.format(
                "%.1f / %.1f / %.1f ms",
                latencies.quantileMillis(0.5),
                latencies.quantileMillis(0.99),
                latencies.quantileMillis(1.0))));
    if (counted.endToEnd().count() > 0) {
      b.append(row("end to end, send to CloudWatch ingestion, p50 / p99 / max", endToEndText()));
    }
    b.append(row(shortName() + " memory", memoryLine()));
    if (target.equals(ROUTER)) {
      b.append(row("router JVM", String.join(" ", scenario.jvmOptions())));
    }
    b.append(
        row(
            shortName() + " CPU mean",
            String.format("%.2f cores", (double) s.get("cpu_mean_cores"))));
    b.append(row(shortName() + " exit code", String.valueOf(exit)));
    b.append(row("shutdown", residue));
    b.append("\n![throughput](throughput.png)\n\n![latency](latency.png)\n\n![rss](rss.png)\n\n");
    b.append(
        "Latency is the load generator's request round trip: with `ack: delivered` a request is acked only once every destination took responsibility for its records.\n");
    return b.toString();
  }

  private static String row(String k, String v) {
    return "| " + k + " | " + v.replace("|", "\\|") + " |\n";
  }

  private void charts(Path dir) throws IOException {
    List<Double> t = new ArrayList<>();
    List<Double> rate = new ArrayList<>();
    for (int i = 1; i < progress.size(); i++) {
      PerfRunner.Progress a = progress.get(i - 1);
      PerfRunner.Progress p = progress.get(i);
      double dt = p.seconds() - a.seconds();
      // The last snapshot can come a few milliseconds after the one before: no rate from that.
      if (dt >= 0.5) {
        t.add(p.seconds());
        rate.add((p.sent() - a.sent()) / dt);
      }
    }
    if (!t.isEmpty()) {
      XYChart c =
          new XYChartBuilder()
              .width(900)
              .height(400)
              .title(scenario.name() + ": records/s acked")
              .xAxisTitle("s")
              .yAxisTitle("records/s")
              .build();
      c.addSeries("records/s", t, rate);
      BitmapEncoder.saveBitmap(
          c, dir.resolve("throughput").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    if (!latencyOverTime.isEmpty()) {
      XYChart c =
          new XYChartBuilder()
              .width(900)
              .height(400)
              .title(scenario.name() + ": request to ack latency per second")
              .xAxisTitle("s")
              .yAxisTitle("ms")
              .build();
      List<Double> at = latencyOverTime.stream().map(l -> l.seconds()).toList();
      c.addSeries("p50", at, latencyOverTime.stream().map(l -> l.p50Millis()).toList());
      c.addSeries("p99", at, latencyOverTime.stream().map(l -> l.p99Millis()).toList());
      c.addSeries("max", at, latencyOverTime.stream().map(l -> l.maxMillis()).toList());
      BitmapEncoder.saveBitmap(
          c, dir.resolve("latency").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
    if (!samples.isEmpty()) {
      XYChart c =
          new XYChartBuilder()
              .width(900)
              .height(400)
              .title(scenario.name() + ": router RSS")
              .xAxisTitle("s")
              .yAxisTitle("MiB")
              .build();
      c.addSeries(
          "RSS",
          samples.stream().map(ProcessSampler.Sample::seconds).toList(),
          samples.stream().map(ProcessSampler.Sample::rssMiB).toList());
      BitmapEncoder.saveBitmap(c, dir.resolve("rss").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
