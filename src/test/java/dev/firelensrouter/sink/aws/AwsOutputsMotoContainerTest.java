package dev.firelensrouter.sink.aws;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The CloudWatch Logs and Firehose check of {@link AwsOutputsMotoTest} against a moto container;
 * skipped where no Docker engine answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class AwsOutputsMotoContainerTest {
  @Container
  private static final GenericContainer<?> MOTO =
      new GenericContainer<>("motoserver/moto:5.1.4")
          .withExposedPorts(5000)
          .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));

  @TempDir Path dir;

  @Test
  void recordsArriveInCloudWatchLogsAndThroughFirehoseExactlyOnce() throws Exception {
    AwsOutputsMotoTest.recordsArriveExactlyOnce(
        URI.create("http://" + MOTO.getHost() + ":" + MOTO.getMappedPort(5000)), dir);
  }
}
