package dev.firelensrouter.cli;

import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.config.ConfigException;
import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.ops.CannotStartException;
import dev.firelensrouter.ops.LogFormat;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.ops.ShutdownReport;
import dev.firelensrouter.ops.Signals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run --config FILE [--sandbox [DIR]]}: runs until SIGTERM or SIGINT, then drains within
 * {@code service.grace}; SIGHUP reloads the config. Exit 0 when nothing was left undelivered.
 */
@Command(
    name = "run",
    description = "Run the router until SIGTERM/SIGINT, then drain.",
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--config",
      required = true,
      description =
          "The YAML config file, or env:NAME for the YAML held by environment variable NAME.")
  Path config;

  @Option(
      names = "--sandbox",
      arity = "0..1",
      fallbackValue = "./sandbox-data",
      paramLabel = "DIR",
      description =
          "Point every AWS output at in-process emulators that keep what they receive under DIR (default ./sandbox-data).")
  Path sandbox;

  @Override
  public Integer call() throws Exception {
    // service.log_format from the first line on, the emulators' included; problems of the config
    // are reported by the start below.
    new ConfigLoader(System.getenv()::get)
        .load(config, new Problems())
        .ifPresent(c -> LogFormat.apply(c.service().logFormat()));
    // Signals first: a SIGTERM that arrives while the router starts still gets a full drain.
    CountDownLatch stop = new CountDownLatch(1);
    AtomicReference<RouterRuntime> running = new AtomicReference<>();
    Thread main = Thread.currentThread();
    Signals.onTerminate(
        first -> {
          if (first) {
            LOG.info("stop signal received: draining (a second signal stops faster)");
            stop.countDown();
          } else {
            LOG.warn("second stop signal: cutting the drain short");
            RouterRuntime runtime = running.get();
            if (runtime != null) {
              runtime.hurry();
            } else {
              main.interrupt();
            }
          }
        });
    Signals.onHangup(
        () -> {
          RouterRuntime runtime = running.get();
          if (runtime == null) {
            return;
          }
          var result = runtime.reload();
          if (!result.applied()) {
            result.problems().forEach(p -> LOG.error("reload refused: {}", p));
          }
        });
    // FIRELENS_ROUTER_SANDBOX_ENDPOINTS=logs=URI,firehose=URI,s3=URI: emulators someone else runs
    // (the perf harness, to inject faults into them); used like --sandbox, nothing started here.
    String external = System.getenv("FIRELENS_ROUTER_SANDBOX_ENDPOINTS");
    try (Sandbox emulators =
            external != null
                ? Sandbox.external(external)
                : Sandbox.startIf(sandbox, AwsClients.SANDBOX_CREDENTIALS);
        ProcessCatalog catalog = ProcessCatalog.create(sandbox != null || external != null)) {
      RouterRuntime runtime;
      try {
        runtime =
            RouterRuntime.start(
                new RouterRuntime.Options(
                    config,
                    emulators.endpoints(),
                    System.getenv(),
                    Clock.systemUTC(),
                    catalog.loops()),
                catalog.catalog(),
                catalog.ecsScope());
      } catch (ConfigException e) {
        // Through the log, so that with log_format json every line is JSON.
        e.problems().forEach(p -> LOG.error("{}", p));
        return CheckCommand.INVALID;
      } catch (CannotStartException e) {
        LOG.error("{}", e.getMessage());
        return CheckCommand.INVALID;
      }
      running.set(runtime);
      try {
        stop.await();
      } catch (InterruptedException e) {
        // a second signal before the drain began: drain anyway, it is cut short below
        Thread.currentThread().interrupt();
      }
      ShutdownReport report = runtime.shutdown(runtime.config().service().grace());
      runtime.close();
      return report.isClean() ? 0 : 1;
    }
  }
}
