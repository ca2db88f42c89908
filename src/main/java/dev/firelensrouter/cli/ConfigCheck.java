package dev.firelensrouter.cli;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problem;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.route.RouteTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Everything {@code check} verifies: the file, every output's options, every route. */
final class ConfigCheck {
  private ConfigCheck() {}

  record Result(Optional<RouterConfig> config, List<Problem> problems) {
    long errorCount() {
      return problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
    }
  }

  static Result check(Path file, Map<String, String> environment) {
    Problems problems = new Problems();
    Optional<RouterConfig> config = new ConfigLoader(environment::get).load(file, problems);
    config.ifPresent(
        c -> {
          ProcessCatalog.forValidation().validate(c.outputs(), problems);
          RouteTable.compile(
              c.routes(),
              c.outputs().stream().map(OutputSpec::name).collect(Collectors.toSet()),
              problems);
        });
    return new Result(config, problems.all());
  }
}
