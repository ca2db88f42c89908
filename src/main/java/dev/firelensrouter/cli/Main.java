package dev.firelensrouter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar firelens-router.jar COMMAND}. */
@Command(
    name = "firelens-router",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Routes Fluentd Forward traffic from ECS FireLens to CloudWatch Logs, Firehose and S3.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    String logFormat = System.getenv("FIRELENS_ROUTER_LOG_FORMAT");
    if (logFormat != null) {
      dev.firelensrouter.ops.LogFormat.apply(logFormat);
    }
    System.exit(commandLine().execute(args));
  }

  /** The whole command tree; tests run commands through it without exiting. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    Commands.register(cli);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version baked into the jar at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/firelens-router-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "firelens-router " + p.getProperty("version", "unknown"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "") + ")"
      };
    }
  }
}
