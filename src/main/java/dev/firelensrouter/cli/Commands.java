package dev.firelensrouter.cli;

import picocli.CommandLine;

/** The subcommands, in the order {@code --help} lists them. */
final class Commands {
  private Commands() {}

  static void register(CommandLine cli) {
    cli.addSubcommand("run", new RunCommand());
    cli.addSubcommand("check", new CheckCommand());
    cli.addSubcommand("explain", new ExplainCommand());
    cli.addSubcommand("loadgen", new LoadgenCommand());
    cli.addSubcommand("sandbox", new SandboxCommand());
    cli.addSubcommand("health", new HealthCommand());
  }
}
