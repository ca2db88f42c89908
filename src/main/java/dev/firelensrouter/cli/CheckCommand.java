package dev.firelensrouter.cli;

import dev.firelensrouter.config.Problem;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code check --config FILE}: every problem as {@code FILE:LINE:COL: message}; exit 2 on errors.
 */
@Command(
    name = "check",
    description = "Validate a config file without starting anything.",
    mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {
  static final int INVALID = 2;

  @Option(
      names = "--config",
      required = true,
      description =
          "The YAML config file, or env:NAME for the YAML held by environment variable NAME.")
  Path config;

  @Override
  public Integer call() {
    ConfigCheck.Result result = ConfigCheck.check(config, System.getenv());
    for (Problem p : result.problems()) {
      System.out.println(p);
    }
    if (result.problems().stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR)) {
      System.err.println(config + ": invalid (" + result.errorCount() + " errors)");
      return INVALID;
    }
    System.err.println(config + ": valid");
    return 0;
  }
}
