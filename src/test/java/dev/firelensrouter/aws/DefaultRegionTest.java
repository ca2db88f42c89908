package dev.firelensrouter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firelensrouter.config.ConfigException;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.ops.RouterRuntime;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an AWS output sends when its config names no region. */
class DefaultRegionTest {
  private static final String TASK_ARN =
      "arn:aws:ecs:eu-west-1:123456789012:task/prod/1234567890abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void theEnvironmentComesFirstThenTheRegionOfTheEcsTask() {
    assertThat(DefaultRegion.fromEnvironment(Map.of("AWS_REGION", "ap-northeast-1"), TASK_ARN))
        .hasValue("ap-northeast-1");
    assertThat(DefaultRegion.fromEnvironment(Map.of("AWS_DEFAULT_REGION", "us-west-2"), TASK_ARN))
        .hasValue("us-west-2");
    assertThat(DefaultRegion.fromEnvironment(Map.of("AWS_REGION", " "), TASK_ARN))
        .as("EC2 launch type: no variable, the task ARN says where it runs")
        .hasValue("eu-west-1");
    assertThat(DefaultRegion.fromEnvironment(Map.of(), "")).isEmpty();
    assertThat(DefaultRegion.fromEnvironment(Map.of(), null)).isEmpty();
  }

  @Test
  void anOutputWithNoRegionAnywhereIsRefusedAtStartWithItsPlaceInTheConfig() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        service:
          admin: 127.0.0.1:0
          data_dir: %s
        inputs:
          forward:
            tcp: 127.0.0.1:0
        outputs:
          app_logs:
            type: cloudwatch_logs
            log_group: /ecs/app
            log_stream: app
        routes:
          - to: [app_logs]
        """
            .formatted(dir.resolve("data")));
    try (NettyLoops loops = NettyLoops.create(1);
        AwsClients aws = new AwsClients(loops, false, Optional.empty())) {
      OutputCatalog catalog =
          new OutputCatalog(List.of(new CloudWatchLogsOutputType(aws::cloudWatchLogs)));
      assertThatThrownBy(
              () ->
                  RouterRuntime.start(
                      new RouterRuntime.Options(
                          config, Map.of(), Map.of(), Clock.systemUTC(), loops),
                      catalog,
                      TemplateScope.EMPTY))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(config + ":9:5: output 'app_logs' cannot start: no AWS region")
          .hasMessageContaining("AWS_REGION");
    }
  }
}
