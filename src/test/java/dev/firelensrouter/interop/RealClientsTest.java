package dev.firelensrouter.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.testing.RunningRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * Forward clients that other people wrote and users run, each sending to a real router: every
 * record must arrive in the file output unchanged and in the order it was sent.
 */
class RealClientsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int COUNT = 500;
  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  @TempDir Path dir;
  private RunningRouter router;

  @BeforeEach
  void startRouter() throws Exception {
    router = RunningRouter.start(dir, RunningRouter.fileOutputConfig(""));
  }

  @AfterEach
  void stopRouter() {
    router.close();
  }

  @Test
  void fluencyWithAcksDeliversEveryRecordInOrder() throws Exception {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    builder.setFlushAttemptIntervalMillis(50);
    try (Fluency fluency = builder.build("127.0.0.1", router.forwardPort())) {
      for (int i = 0; i < COUNT; i++) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("seq", i);
        record.put("msg", "fluency-" + i);
        record.put("nested", Map.of("ok", true));
        fluency.emit("fluency.test", record);
      }
      fluency.flush();
      assertThat(fluency.waitUntilAllBufferFlushed((int) ARRIVAL.toSeconds()))
          .as("Fluency flushed with acks")
          .isTrue();
    }
    List<JsonNode> records = parse(router.awaitLines("fluency.test", COUNT, ARRIVAL));
    assertSequence(records, "fluency-", COUNT);
    assertThat(records.get(7).get("nested").get("ok").asBoolean()).isTrue();
  }

  @Test
  void fluentLoggerJavaDeliversEveryRecordInOrder() {
    org.fluentd.logger.FluentLogger logger =
        org.fluentd.logger.FluentLogger.getLogger(null, "127.0.0.1", router.forwardPort());
    try {
      for (int i = 0; i < COUNT; i++) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("seq", i);
        record.put("msg", "java-" + i);
        assertThat(logger.log("java.test", record)).as("log() of record %d", i).isTrue();
      }
      logger.flush();
    } finally {
      logger.close();
    }
    assertSequence(parse(router.awaitLines("java.test", COUNT, ARRIVAL)), "java-", COUNT);
  }

  @Test
  void debianPythonFluentLoggerDeliversEveryRecordInOrder() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(
        Files.isExecutable(python)
            && exitCode(python.toString(), "-c", "import fluent.sender") == 0,
        "Debian's python3-fluent-logger is not installed (apt-get install python3-fluent-logger)");
    int exit =
        exitCode(
            python.toString(),
            script("python/send.py"),
            "127.0.0.1",
            String.valueOf(router.forwardPort()),
            "python.test",
            String.valueOf(COUNT));
    assertThat(exit).as("send.py exit code").isZero();
    assertSequence(parse(router.awaitLines("python.test", COUNT, ARRIVAL)), "python-", COUNT);
  }

  @Test
  void npmFluentLoggerWithAcksDeliversEveryRecordInOrder() throws Exception {
    assumeNodeClient();
    int exit =
        exitCode(
            "node",
            script("node/send.js"),
            "127.0.0.1",
            String.valueOf(router.forwardPort()),
            "node.test",
            String.valueOf(COUNT));
    assertThat(exit).as("send.js exit code (0 = every emit acknowledged)").isZero();
    assertSequence(parse(router.awaitLines("node.test", COUNT, ARRIVAL)), "node-", COUNT);
  }

  @Test
  void npmFluentLoggerPassesTheSharedKeyHandshake() throws Exception {
    assumeNodeClient();
    router.close();
    router =
        RunningRouter.start(
            dir.resolve("secure"),
            RunningRouter.fileOutputConfig(
                "    shared_key: s3cret\n    self_hostname: router.test\n"));
    int exit =
        exitCode(
            "node",
            script("node/send.js"),
            "127.0.0.1",
            String.valueOf(router.forwardPort()),
            "secure.test",
            "50",
            "s3cret");
    assertThat(exit).as("send.js with the right key").isZero();
    assertSequence(parse(router.awaitLines("secure.test", 50, ARRIVAL)), "node-", 50);

    int refused =
        exitCodeWithin(
            Map.of("SEND_TIMEOUT_MS", "4000", "QUIET", "1"),
            "node",
            script("node/send.js"),
            "127.0.0.1",
            String.valueOf(router.forwardPort()),
            "intruder.test",
            "5",
            "wrong-key");
    assertThat(refused).as("send.js with a wrong key must not get acks").isNotZero();
    assertThat(router.lines("intruder.test")).isEmpty();
  }

  private static void assertSequence(List<JsonNode> records, String prefix, int expected) {
    assertThat(records).hasSize(expected);
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).get("seq").asInt()).as("seq of line %d", i).isEqualTo(i);
      assertThat(records.get(i).get("msg").asText()).isEqualTo(prefix + i);
    }
  }

  private static List<JsonNode> parse(List<String> lines) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines) {
      try {
        out.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + line, e);
      }
    }
    return out;
  }

  private static String script(String relative) {
    return Path.of("src/test").resolve(relative).toAbsolutePath().toString();
  }

  private static void assumeNodeClient() throws Exception {
    assumeTrue(exitCode("node", "--version") == 0, "node is not installed");
    assumeTrue(
        Files.isDirectory(Path.of("src/test/node/node_modules/fluent-logger")),
        "npm's fluent-logger is not installed (cd src/test/node && npm ci)");
  }

  private static int exitCode(String... command) throws IOException, InterruptedException {
    return exitCodeWithin(Map.of(), command);
  }

  private static int exitCodeWithin(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Process p;
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT);
      pb.environment().putAll(env);
      p = pb.start();
    } catch (IOException e) {
      return 127;
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return 124;
    }
    return p.exitValue();
  }
}
