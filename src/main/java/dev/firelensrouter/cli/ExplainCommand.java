package dev.firelensrouter.cli;

import dev.firelensrouter.config.Problem;
import dev.firelensrouter.route.ExplainReport;
import dev.firelensrouter.route.Explainer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explain --config FILE --tag TAG --record JSON}: where would this record go, without
 * sending it.
 */
@Command(
    name = "explain",
    description =
        "Show which routes a record matches and why, the record after each transform, and the rendered destination names.",
    mixinStandardHelpOptions = true)
final class ExplainCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      description =
          "The YAML config file, or env:NAME for the YAML held by environment variable NAME.")
  Path config;

  @Option(
      names = "--tag",
      required = true,
      description = "The record's tag, e.g. nginx-firelens-5f8a1c2d.")
  String tag;

  @Option(names = "--record", required = true, description = "The record as a JSON object.")
  String record;

  @Option(names = "--json", description = "Print the report as JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    ConfigCheck.Result checked = ConfigCheck.check(config, System.getenv());
    if (checked.errorCount() > 0 || checked.config().isEmpty()) {
      checked.problems().stream()
          .filter(p -> p.severity() == Problem.Severity.ERROR)
          .forEach(System.err::println);
      return CheckCommand.INVALID;
    }
    ExplainReport report;
    try {
      report =
          new Explainer(EcsScope.load(), Clock.systemUTC())
              .explain(checked.config().get(), tag, record);
    } catch (IllegalArgumentException e) {
      System.err.println("--record: " + e.getMessage());
      return CheckCommand.INVALID;
    }
    System.out.println(json ? report.toJson() : report.toText());
    return 0;
  }
}
