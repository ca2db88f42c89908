package dev.firelensrouter.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Builds the image from the Dockerfile and sends records through it. Needs a Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageTest {
  @Test
  void theImageAcceptsForwardTrafficWithAcksAndAnswersHealth() throws Exception {
    ImageFromDockerfile image =
        new ImageFromDockerfile("firelens-router-test", true)
            .withFileFromPath("Dockerfile", Path.of("Dockerfile"))
            .withFileFromPath("pom.xml", Path.of("pom.xml"))
            .withFileFromPath("src", Path.of("src"))
            .withFileFromPath("config", Path.of("config"));
    try (GenericContainer<?> router =
        new GenericContainer<>(image)
            .withExposedPorts(24225, 2020)
            .waitingFor(
                Wait.forHttp("/ready").forPort(2020).withStartupTimeout(Duration.ofMinutes(2)))) {
      router.start();
      FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
      builder.setAckResponseMode(true);
      try (Fluency fluency = builder.build(router.getHost(), router.getMappedPort(24225))) {
        for (int i = 0; i < 100; i++) {
          fluency.emit("docker.test", Map.of("seq", i));
        }
        fluency.flush();
        assertThat(fluency.waitUntilAllBufferFlushed(30)).as("every chunk acked").isTrue();
      }
      URI health =
          URI.create("http://" + router.getHost() + ":" + router.getMappedPort(2020) + "/health");
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(router.getLogs()).contains("\"seq\":99");
    }
  }
}
