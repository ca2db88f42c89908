package dev.firelensrouter.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.RunningRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's and the task definition's health check ({@code docker/healthcheck.sh}, bash and no
 * JVM), run as Docker and ECS run it: healthy while a router answers /health, unhealthy when
 * nothing listens.
 */
class HealthCheckScriptTest {
  private static final Path SCRIPT = Path.of("docker/healthcheck.sh");

  @TempDir Path dir;

  private static int run(String address) throws Exception {
    Process p =
        new ProcessBuilder("bash", SCRIPT.toString(), address).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the check returns within its timeout").isTrue();
    return p.exitValue();
  }

  @Test
  void healthyWhileTheRouterAnswersAndUnhealthyOnceItIsGone() throws Exception {
    assertThat(Files.isExecutable(SCRIPT)).as("executable as copied into the image").isTrue();
    int port;
    try (RunningRouter router = RunningRouter.start(dir, RunningRouter.fileOutputConfig(""))) {
      port = router.adminPort();
      assertThat(run("127.0.0.1:" + port)).isZero();
    }
    assertThat(run("127.0.0.1:" + port)).isEqualTo(1);
  }
}
