package dev.firelensrouter.cli;

import dev.firelensrouter.sandbox.SandboxFaults;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sandbox [--dir DIR] [--faults FILE]}: the AWS emulators alone, for a router started
 * elsewhere or the perf harness. Prints one {@code SERVICE=ENDPOINT} line per emulator, then runs
 * until stopped.
 */
@Command(
    name = "sandbox",
    description = "Run the AWS emulators alone until stopped.",
    mixinStandardHelpOptions = true)
final class SandboxCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      defaultValue = "./sandbox-data",
      description = "Where the emulators keep what they receive (default ./sandbox-data).")
  Path dir;

  @Option(
      names = "--faults",
      description =
          "A YAML or JSON file of faults to inject (sections logs, firehose, s3); they can also be"
              + " changed while running with POST /_sandbox/faults on each emulator.")
  Path faults;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    SandboxFaults injected;
    try {
      injected = faults == null ? null : SandboxFaults.read(faults);
    } catch (java.io.IOException | IllegalArgumentException e) {
      System.err.println(e.getMessage()); // names the file, the section and the key
      return CheckCommand.INVALID;
    }
    try (Sandbox sandbox = Sandbox.startIf(dir, null)) {
      if (injected != null) {
        sandbox.faults(injected);
      }
      sandbox.endpoints().forEach((service, uri) -> System.out.println(service + "=" + uri));
      System.out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }
}
