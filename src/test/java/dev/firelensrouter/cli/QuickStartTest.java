package dev.firelensrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.ChildConfig;
import dev.firelensrouter.testing.ChildRouter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;

/**
 * The README's quick start, as a new user runs it: {@code config/example.yaml} under {@code run
 * --sandbox}, an error line from a FireLens container, then every file the README tells them to
 * {@code cat} holds that line; and an nginx access log reaches the S3 archive, parsed, by the drain
 * on SIGTERM. Only the two listening ports differ from the shipped file, so tests can run side by
 * side.
 */
class QuickStartTest {
  private static final Pattern CAT = Pattern.compile("^cat (sandbox-data/\\S+)", Pattern.MULTILINE);

  @TempDir Path dir;

  /** The paths the README's quick start prints with {@code cat}. */
  private static List<String> catPathsInReadme() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("## Quick start");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    List<String> paths = new ArrayList<>();
    Matcher m = CAT.matcher(section);
    while (m.find()) {
      paths.add(m.group(1));
    }
    return paths;
  }

  @Test
  void theReadmesQuickStartDeliversWhereItSays() throws Exception {
    List<String> catPaths = catPathsInReadme();
    assertThat(catPaths).as("the README's quick start shows where the line lands").isNotEmpty();

    int admin = ChildRouter.freePort();
    int forward = ChildRouter.freePort();
    String shipped = Files.readString(Path.of("config/example.yaml"));
    assertThat(shipped).contains("admin: 127.0.0.1:2020").contains("tcp: 127.0.0.1:24224");
    Path config =
        Files.writeString(
            dir.resolve("example.yaml"),
            shipped
                .replace("admin: 127.0.0.1:2020", "admin: 127.0.0.1:" + admin)
                .replace("tcp: 127.0.0.1:24224", "tcp: 127.0.0.1:" + forward));
    try (ChildRouter router = ChildRouter.start(dir, config, admin, "--sandbox")) {
      try (Fluency fluency = new ChildConfig(config, forward, admin).fluency()) {
        // What the README's Python line sends: FluentSender("app-firelens-1").emit("web", ...).
        fluency.emit("app-firelens-1.web", Map.of("log", "ERROR boom"));
        fluency.emit(
            "nginx-firelens-abc",
            Map.of("source", "stdout", "log", "{\"status\":200,\"path\":\"/health\"}"));
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(60)).as("acked").isTrue();
      }
      Await.until(
          Duration.ofSeconds(30),
          () -> catPaths.stream().allMatch(p -> Files.exists(dir.resolve(p))),
          () -> catPaths + " not all written; " + router.log());
      for (String p : catPaths) {
        assertThat(Files.readString(dir.resolve(p))).as(p).contains("ERROR boom");
      }

      router.terminate();
      assertThat(router.awaitExit(Duration.ofSeconds(60))).as(router.log()).isZero();
    }
    Path bucket = dir.resolve("sandbox-data/s3/my-log-archive/logs/nginx-firelens-abc");
    List<Path> objects;
    try (Stream<Path> files = Files.walk(bucket)) {
      objects = files.filter(p -> p.toString().endsWith(".jsonl.gz")).toList();
    }
    assertThat(objects).as("the access log archived on SIGTERM").hasSize(1);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(objects.get(0)))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .as("parse_json: log made its fields the record's")
          .contains("\"status\":200")
          .contains("\"path\":\"/health\"")
          .doesNotContain("ERROR boom");
    }
  }
}
