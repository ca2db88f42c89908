package dev.firelensrouter.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sandbox [--dir DIR]}: the AWS emulators alone, for a router started elsewhere or the perf
 * harness. Prints one {@code SERVICE=ENDPOINT} line per emulator, then runs until stopped.
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

  @Override
  public Integer call() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    try (Sandbox sandbox = Sandbox.startIf(dir)) {
      sandbox.endpoints().forEach((service, uri) -> System.out.println(service + "=" + uri));
      System.out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }
}
