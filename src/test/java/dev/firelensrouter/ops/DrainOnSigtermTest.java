package dev.firelensrouter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.testing.Await;
import dev.firelensrouter.testing.ChildRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * ECS stops a task with SIGTERM. Fluent Bit in the same spot pauses its inputs and drops the last
 * lines of short tasks (aws-for-fluent-bit #201, #856); the router keeps reading until its clients
 * close, delivers everything, reports it, and exits 0.
 */
class DrainOnSigtermTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyRecordSentBeforeAndAfterSigtermWhileTheClientIsOpenIsDelivered() throws Exception {
    int forwardPort = ChildRouter.freePort();
    int adminPort = ChildRouter.freePort();
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        service:
          admin: 127.0.0.1:%d
          grace: 20s
          data_dir: %s/data
        inputs:
          forward:
            tcp: 127.0.0.1:%d
        outputs:
          local:
            type: file
            path: "%s/out/{{ tag }}.jsonl"
        routes:
          - to: [local]
        """
            .formatted(adminPort, dir, forwardPort, dir));
    try (ChildRouter router = ChildRouter.start(dir, config, adminPort)) {
      FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
      builder.setAckResponseMode(true);
      builder.setFlushAttemptIntervalMillis(20);
      int total = 4000;
      try (Fluency fluency = builder.build("127.0.0.1", forwardPort)) {
        for (int i = 0; i < total / 2; i++) {
          fluency.emit("short.task", Map.of("seq", i));
        }
        fluency.flush();
        router.terminate();
        Await.until(Duration.ofSeconds(10), () -> router.status("/ready") == 503, router::log);
        // The task's last lines, sent after the signal while the client is still connected.
        for (int i = total / 2; i < total; i++) {
          fluency.emit("short.task", Map.of("seq", i));
        }
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(20)).as("every chunk acked").isTrue();
      }
      assertThat(router.awaitExit(Duration.ofSeconds(30)))
          .as("exit code; log:\n%s", router.log())
          .isZero();
      List<String> lines = Files.readAllLines(dir.resolve("out/short.task.jsonl"));
      Set<Integer> seqs = new HashSet<>();
      for (String line : lines) {
        seqs.add(JSON.readTree(line).get("seq").asInt());
      }
      assertThat(seqs).hasSize(total);
      assertThat(router.log()).contains("drained cleanly");
    }
  }
}
