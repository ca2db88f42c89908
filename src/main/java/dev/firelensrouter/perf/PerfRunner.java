package dev.firelensrouter.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firelensrouter.config.HostPort;
import dev.firelensrouter.loadgen.LoadGenerator;
import dev.firelensrouter.loadgen.LoadResult;
import dev.firelensrouter.loadgen.LoadSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario end to end: starts the router jar as a child process on the sandbox emulators,
 * drives it with the load generator, stops it with SIGTERM, counts every record by id in what the
 * outputs wrote, and writes {@code perf/results/<scenario>-<time>/}.
 *
 * <p>{@code java -cp target/firelens-router.jar dev.firelensrouter.perf.PerfRunner
 * perf/scenarios/steady-20k.yaml}
 */
public final class PerfRunner {
  private PerfRunner() {}

  /** A throughput sample: seconds since the load started, records acked so far. */
  record Progress(double seconds, long sent) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println(
          "usage: PerfRunner SCENARIO.yaml [--jar JAR] [--keep-stores] [--target HOST:PORT"
              + " --store DIR [--target-pid PID]]\n  FLUENT_BIT=/path/to/fluent-bit also runs"
              + " the scenario against Fluent Bit and reports both side by side\n  --keep-stores"
              + " keeps what the outputs wrote after a passing run (it is always kept after a"
              + " failing one)");
      System.exit(2);
    }
    Scenario scenario = Scenario.read(Path.of(args[0]));
    Map<String, String> opts = new HashMap<>();
    boolean keepStores = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--keep-stores")) {
        keepStores = true;
      } else if (i + 1 < args.length) {
        opts.put(args[i], args[++i]);
      }
    }
    Path jar = Path.of(opts.getOrDefault("--jar", "target/firelens-router.jar")).toAbsolutePath();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path results = Path.of("perf", "results", scenario.name() + "-" + stamp).toAbsolutePath();
    Path work = results.resolve("run");
    Files.createDirectories(work);
    Report report;
    if (opts.containsKey("--target")) {
      report =
          runAgainstTarget(
              scenario,
              HostPort.parse(opts.get("--target")).orElseThrow(),
              Path.of(opts.getOrDefault("--store", ".")),
              Long.parseLong(opts.getOrDefault("--target-pid", "0")),
              results);
    } else {
      report = run(scenario, jar, results, work);
    }
    String fluentBit = System.getenv("FLUENT_BIT");
    boolean allPassed = report.passed();
    if (fluentBit != null && !fluentBit.isBlank()) {
      Path fbDir = results.resolve("fluent-bit");
      Files.createDirectories(fbDir);
      Report fb = FluentBitRun.run(scenario, fluentBit, fbDir, report.storesReached());
      SideBySide.write(results, scenario, "firelens-router", report, "fluent-bit", fb);
      System.out.println("side by side: " + results.resolve("comparison.md"));
      allPassed &= fb.passed();
    }
    if (allPassed && !keepStores) {
      removeStores(results);
    }
    System.exit(report.passed() ? 0 : 1);
  }

  /**
   * Removes the records the outputs wrote once they are counted: a minute at 50k records/s to
   * Firehose leaves 3 GB. The router's {@code data} folder (spool, dead letters) stays.
   */
  static void removeStores(Path results) throws IOException {
    for (Path run : List.of(results.resolve("run"), results.resolve("fluent-bit"))) {
      dev.firelensrouter.sandbox.FileTrees.delete(run.resolve("sandbox-data"));
      dev.firelensrouter.sandbox.FileTrees.delete(run.resolve("out"));
    }
  }

  /**
   * Drives an endpoint the harness did not start (a router or Fluent Bit run by the user): counts
   * from {@code store}, where that target's outputs write, and samples {@code pid} if given.
   */
  static Report runAgainstTarget(
      Scenario scenario, HostPort target, Path store, long pid, Path results) throws Exception {
    Emulators emulators = Emulators.start(results.resolve("unused-sandbox"));
    try {
      Report r =
          drive(
              scenario,
              target,
              null,
              pid,
              emulators,
              List.of(store.toAbsolutePath()),
              results,
              () -> "(target not started by the harness)",
              0,
              Set.of(),
              "the target");
      return r;
    } finally {
      emulators.stop();
    }
  }

  static Report run(Scenario scenario, Path jar, Path results, Path work) throws Exception {
    HostPort admin = adminOf(scenario.config());
    // The harness runs the emulators, so it can inject the scenario's faults into them and the
    // router's RSS is the router's own, not the emulators' too.
    Emulators emulators = Emulators.start(work.resolve("sandbox-data"));
    List<String> command = new ArrayList<>();
    command.add(javaBin());
    command.addAll(scenario.jvmOptions());
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "run",
            "--config",
            scenario.config().toString(),
            "--sandbox",
            work.resolve("sandbox-data").toString()));
    ProcessBuilder routerProcess =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(results.resolve("router.log").toFile());
    routerProcess.environment().put("FIRELENS_ROUTER_SANDBOX_ENDPOINTS", emulators.endpoints());
    Process router = routerProcess.start();
    try {
      awaitReady(admin, router, results);
      long budget = memoryBudget(admin);
      return drive(
          scenario,
          HostPort.parse(scenario.target()).orElseThrow(),
          router,
          router.pid(),
          emulators,
          List.of(
              work.resolve("out"),
              work.resolve("sandbox-data/s3"),
              work.resolve("sandbox-data/cloudwatch"),
              work.resolve("sandbox-data/firehose")),
          results,
          () -> residue(results.resolve("router.log")),
          budget,
          Set.of(),
          Report.ROUTER);
    } finally {
      if (router.isAlive()) {
        router.destroyForcibly();
      }
      emulators.stop();
    }
  }

  /**
   * Drives {@code target} with the scenario's load while its faults play on the emulators, stops
   * {@code process} (SIGTERM) if the harness owns it, counts every record in the stores and writes
   * the report into {@code results}. Each store named in {@code expected} (by folder name) must
   * hold the records even if it received none: a comparison run passes the stores the router's run
   * reached, so a target whose output delivered nothing fails instead of being skipped. {@code
   * targetName} names what ran in the report ({@link Report#ROUTER}: the harness's own router, with
   * its JVM options).
   */
  static Report drive(
      Scenario scenario,
      HostPort target,
      Process process,
      long pid,
      Emulators emulators,
      List<Path> stores,
      Path results,
      java.util.function.Supplier<String> residue,
      long budget,
      Set<String> expected,
      String targetName)
      throws Exception {
    try (ProcessSampler sampler = new ProcessSampler(pid)) {
      LoadSpec spec =
          new LoadSpec(
              target.host(),
              target.port(),
              null,
              scenario.rate(),
              scenario.recordSize(),
              scenario.connections(),
              LoadSpec.Mode.valueOf(scenario.mode().toUpperCase(Locale.ROOT)),
              scenario.ack(),
              scenario.batch(),
              scenario.warmup().plus(scenario.duration()),
              0,
              scenario.tag(),
              Duration.ofSeconds(30),
              scenario.phases(),
              scenario.warmup());
      LoadGenerator load = new LoadGenerator(spec);
      List<Progress> progress = new ArrayList<>();
      ScheduledExecutorService signal = Executors.newSingleThreadScheduledExecutor();
      long warmup = scenario.warmup().toMillis();
      signal.schedule(
          () -> emulators.schedule(scenario.faults(), signal), warmup, TimeUnit.MILLISECONDS);
      if (scenario.sigtermAfter() != null && process != null) {
        signal.schedule(
            process::destroy, warmup + scenario.sigtermAfter().toMillis(), TimeUnit.MILLISECONDS);
      }
      LoadResult result = load.run(p -> progress.add(new Progress(p.seconds(), p.sent())));
      signal.shutdownNow();
      emulators.clearFaults();
      System.out.println(result.summary());
      int exit = 0;
      if (process != null) {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        exit = process.exitValue();
      }
      long[] sent = new long[scenario.connections()];
      for (int c = 0; c < sent.length; c++) {
        sent[c] = load.sentOn(c);
      }
      Set<String> reached = new java.util.TreeSet<>();
      Set<String> mustHold = new java.util.HashSet<>(expected);
      String summary = residue.get();
      mustHold.addAll(fedStores(scenario.config(), summary));
      RecordCount.Result counted = worstStore(stores, sent, mustHold, reached);
      Report report =
          new Report(
              scenario,
              result,
              counted,
              exit,
              load.latencies(),
              load.timeline().seconds(),
              progress,
              sampler.samples(),
              summary,
              budget,
              reached,
              targetName);
      report.write(results);
      System.out.println("throughput: " + report.throughputText());
      System.out.println(report.verdictLine());
      System.out.println(report.memoryLine());
      System.out.println("report: " + results.resolve("report.md"));
      return report;
    }
  }

  /**
   * Each output's store is counted on its own (a record routed to two outputs is in two stores, not
   * duplicated); the verdict takes the worst store that received anything or is {@code expected};
   * the names of the stores that received records go to {@code reached}.
   */
  private static RecordCount.Result worstStore(
      List<Path> stores, long[] sent, Set<String> expected, Set<String> reached)
      throws IOException {
    RecordCount.Result worst = null;
    dev.firelensrouter.loadgen.LatencySamples endToEnd = null;
    for (Path store : stores) {
      RecordCount.Result r = RecordCount.scan(List.of(store)).against(sent);
      System.out.println(store.getFileName() + ": " + r);
      if (r.endToEnd().count() > 0 && endToEnd == null) {
        endToEnd = r.endToEnd();
      }
      String name = store.getFileName().toString();
      if (r.lines() > 0) {
        reached.add(name);
      }
      if ((r.lines() > 0 || expected.contains(name))
          && (worst == null
              || r.missing() + r.duplicates() > worst.missing() + worst.duplicates())) {
        worst = r;
      }
    }
    if (worst == null) {
      worst = RecordCount.scan(List.of()).against(sent);
    }
    if (endToEnd == null) {
      return worst;
    }
    // Arrival times are known where the store records them (CloudWatch's ingestionTime).
    return new RecordCount.Result(
        worst.lines(),
        worst.delivered(),
        worst.missing(),
        worst.duplicates(),
        worst.reordered(),
        worst.unreadable(),
        endToEnd);
  }

  /** The router's own summary line of its drain (what it delivered and left). */
  /**
   * The stores of the outputs the router's drain summary says it fed ({@code NAME=N delivered} or
   * {@code .../M left} with N or M above 0): they must hold those records, so an output that said
   * it delivered but wrote nothing fails the run instead of being skipped as unused.
   */
  static Set<String> fedStores(Path routerConfig, String summary) {
    Set<String> out = new java.util.HashSet<>();
    JsonNode outputs;
    try {
      outputs =
          new com.fasterxml.jackson.databind.ObjectMapper(
                  new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
              .readTree(routerConfig.toFile())
              .path("outputs");
    } catch (IOException e) {
      return out;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([\\w.-]+)=(\\d+) delivered(?:/(\\d+) left)?")
            .matcher(summary);
    while (m.find()) {
      long fed = Long.parseLong(m.group(2)) + (m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
      String store =
          switch (outputs.path(m.group(1)).path("type").asText()) {
            case "cloudwatch_logs" -> "cloudwatch";
            case "firehose" -> "firehose";
            case "s3" -> "s3";
            case "file" -> "out";
            default -> null;
          };
      if (fed > 0 && store != null) {
        out.add(store);
      }
    }
    return out;
  }

  static String residue(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
    return lines.stream()
        .filter(l -> l.contains("drained"))
        .reduce((a, b) -> b)
        .map(l -> l.substring(l.indexOf("drained")))
        .orElse("(no drain summary in router.log)");
  }

  /** {@code firelens_router_memory_budget_bytes} from the router's metrics (0 if absent). */
  private static long memoryBudget(HostPort admin) {
    try {
      String text =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + admin + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : text.split("\n")) {
        if (line.startsWith("firelens_router_memory_budget_bytes ")) {
          return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
        }
      }
    } catch (IOException e) {
      // reported as unknown
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static HostPort adminOf(Path config) throws IOException {
    JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(config.toFile());
    return HostPort.parse(n.path("service").path("admin").asText("127.0.0.1:2020")).orElseThrow();
  }

  private static void awaitReady(HostPort admin, Process router, Path results) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://" + admin + "/ready");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && router.isAlive()) {
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the router did not become ready; see " + results.resolve("router.log"));
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
