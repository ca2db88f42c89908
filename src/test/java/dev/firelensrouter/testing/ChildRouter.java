package dev.firelensrouter.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The router as users run it: {@code Main run --config ...} in a child JVM (this test run's
 * classpath), so that signals and exit codes are real. Its output goes to {@code router.log}.
 */
public final class ChildRouter implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int adminPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ChildRouter(Process process, Path log, int adminPort) {
    this.process = process;
    this.log = log;
    this.adminPort = adminPort;
  }

  /** A free loopback port (closed again, so a child can bind it). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** What a router process printed (stdout and stderr together) and its exit code. */
  public record Exited(int exit, String output) {}

  /**
   * Runs {@code firelens-router args...} in {@code dir} until it exits, for starts that must fail.
   */
  public static Exited runToExit(
      Path dir, java.util.Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.firelensrouter.cli.Main");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(environment);
    Process p = builder.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("router still running: " + output);
    }
    return new Exited(p.exitValue(), output);
  }

  public static ChildRouter start(Path dir, Path config, int adminPort, String... extraArgs)
      throws IOException {
    return start(dir, config, adminPort, java.util.Map.of(), extraArgs);
  }

  /** {@code environment}: variables added to the child's environment. */
  public static ChildRouter start(
      Path dir,
      Path config,
      int adminPort,
      java.util.Map<String, String> environment,
      String... extraArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.firelensrouter.cli.Main");
    command.add("run");
    command.add("--config");
    command.add(config.toString());
    command.addAll(List.of(extraArgs));
    Path log = dir.resolve("router.log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process p =
        builder
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    ChildRouter child = new ChildRouter(p, log, adminPort);
    Await.until(
        Duration.ofSeconds(30),
        () -> child.status("/ready") == 200 || !p.isAlive(),
        child::describe);
    if (!p.isAlive()) {
      throw new AssertionError("router exited at start: " + child.describe());
    }
    return child;
  }

  public int status(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String get(String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** SIGTERM, as ECS sends it. */
  public void terminate() {
    process.destroy();
  }

  /** SIGINT, as Ctrl-C sends it. */
  public void interrupt() throws IOException, InterruptedException {
    int exit = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    if (exit != 0) {
      throw new IOException("kill -INT " + process.pid() + " exited " + exit);
    }
  }

  /** SIGKILL. */
  public void kill() {
    process.destroyForcibly();
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("router still running after " + timeout + ": " + describe());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read log: " + e + ")";
    }
  }

  private String describe() {
    String text = log();
    return "router log:\n" + (text.length() > 4000 ? text.substring(text.length() - 4000) : text);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
