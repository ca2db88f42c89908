package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups and streams the CloudWatch Logs output creates, against the sandbox emulator: a stream
 * CloudWatch still reports missing right after its creation is retried until it appears, and the
 * retention it sets is one CloudWatch Logs accepts (any other is refused when the config loads).
 */
class LogGroupLifecycleSandboxTest {
  private static final String OUTPUT =
      """
      outputs:
        app_logs:
          type: cloudwatch_logs
          region: us-east-1
          log_group: /ecs/lifecycle
          log_stream: "{{ tag }}"
          message: log
          retention_days: %s
          flush_interval: 50ms
      routes:
        - to: [app_logs]
      """;

  @TempDir Path dir;

  @Test
  void aStreamStillMissingRightAfterItsCreateIsRetriedUntilItAppears() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, OUTPUT.formatted("14"), true)) {
      rig.logs.notFoundAfterCreate(3);
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        texts.add("line-" + i);
      }
      rig.send("app", texts, Instant.now().getEpochSecond());
      rig.awaitDelivered(50, "app_logs");

      List<String> messages = new ArrayList<>();
      for (String line : rig.logLines("/ecs/lifecycle", "app")) {
        messages.add(line.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1"));
      }
      assertThat(messages).as("each record once").containsExactlyInAnyOrderElementsOf(texts);
      assertThat(rig.ledger("app_logs").delivered()).isEqualTo(50);
      assertThat(rig.ledger("app_logs").deadLetteredTotal()).isZero();
      assertThat(rig.logs.retentionDays("/ecs/lifecycle")).hasValue(14);
      java.util.regex.Matcher retries =
          java.util.regex.Pattern.compile(
                  "firelens_router_retries_total\\{output=\"app_logs\"} ([0-9.]+)")
              .matcher(rig.metrics());
      assertThat(retries.find()).isTrue();
      assertThat(Double.parseDouble(retries.group(1)))
          .as("the missing stream was retried")
          .isPositive();
    }
  }

  @Test
  void aRetentionCloudWatchWouldRefuseIsRejectedAtLoadWithTheNearestAccepted() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, OUTPUT.formatted("10"));
    Problems problems = new Problems();
    RouterConfig loaded = new ConfigLoader(name -> null).load(config, problems).orElseThrow();
    new CloudWatchLogsOutputType(target -> null).validate(loaded.outputs().get(0), problems);

    assertThat(problems.errors())
        .singleElement()
        .asString()
        .startsWith(config + ":8:5:")
        .contains("'retention_days' must be one of the periods CloudWatch Logs accepts")
        .contains("not 10; the nearest is 7");
  }
}
