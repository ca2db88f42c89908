package dev.firelensrouter.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process, killed with SIGKILL after it acked records it had only staged, then started
 * again on the same data dir and stopped with SIGTERM: every acked record is in S3 exactly once.
 * Both runs use {@code run --sandbox} on the same sandbox dir, whose S3 objects are files.
 */
class S3KillNineTest {
  private static final int RECORDS = 20_000;

  @TempDir Path dir;

  @Test
  void everyRecordAckedBeforeAKillNineIsUploadedOnceByTheNextProcess() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("router.yaml");
    Files.writeString(
        config,
        "service:\n  admin: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\n  grace: 20s\ninputs:\n  forward:\n    tcp: 127.0.0.1:"
            + port
            + "\noutputs:\n  archive:\n    type: s3\n    bucket: kill-nine\n"
            + "    key: \"logs/{{ uuid }}.jsonl.gz\"\n    upload_after: 1h\n"
            + "routes:\n  - name: all\n    to: [archive]\n");
    Path sandbox = dir.resolve("sandbox");

    Process first = router(config, sandbox, "first");
    awaitReady("first", first);
    Process load =
        java(
                "loadgen",
                "--target",
                "127.0.0.1:" + port,
                "--count",
                Integer.toString(RECORDS),
                "--connections",
                "2")
            .redirectOutput(dir.resolve("loadgen.log").toFile())
            .start();
    assertThat(load.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(dir.resolve("loadgen.log"))).contains(RECORDS + " acked");
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(lines(sandbox)).isEmpty();

    Process second = router(config, sandbox, "second");
    awaitReady("second", second);
    second.destroy();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(lines(sandbox))
        .as("second run's log:%n%s", Files.readString(dir.resolve("second.log")))
        .hasSize(RECORDS);
  }

  private ProcessBuilder java(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.firelensrouter.cli.Main");
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  private Process router(Path config, Path sandbox, String name) throws IOException {
    return java("run", "--config", config.toString(), "--sandbox", sandbox.toString())
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  /** Waits for the router's "ready" log line (listeners bound, outputs started). */
  private void awaitReady(String name, Process p) throws Exception {
    Path log = dir.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.exists(log) && Files.readString(log).contains("firelens-router ready")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " router not ready; alive=" + p.isAlive());
  }

  /** Every line of every object in the sandbox bucket. */
  private static List<String> lines(Path sandbox) throws IOException {
    Path bucket = sandbox.resolve("s3").resolve("kill-nine");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(bucket)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(bucket)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".gz")).toList()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
              out.add(line);
            }
          }
        }
      }
    }
    return out;
  }
}
