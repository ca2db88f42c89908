package dev.firelensrouter.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.testing.RunningRouter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/**
 * The real Fluent Bit image's {@code out_forward}, with gzip, acks and the shared key, sending to
 * the router on the host. Runs where a Docker engine exists; skipped elsewhere.
 */
@org.testcontainers.junit.jupiter.Testcontainers(disabledWithoutDocker = true)
class FluentBitContainerTest {
  private static final String IMAGE = "fluent/fluent-bit:5.1.1";
  private static final int RECORDS = 200;

  @TempDir Path dir;

  @Test
  void fluentBitOutForwardWithGzipAcksAndSharedKeyDeliversEveryRecord() throws Exception {
    try (RunningRouter router =
        RunningRouter.start(
            dir,
            RunningRouter.fileOutputConfig(
                    "    shared_key: s3cret-key\n    self_hostname: router\n")
                .replace("tcp: 127.0.0.1:0", "tcp: 0.0.0.0:0"))) {
      Testcontainers.exposeHostPorts(router.forwardPort());
      String config =
          """
          [SERVICE]
              Flush        1
              Log_Level    info
          [INPUT]
              Name         dummy
              Tag          web-firelens-5f8a1c2d3e4b
              Dummy        {"log":"GET /index.html 200","source":"stdout"}
              Samples      %d
              Rate         100
          [OUTPUT]
              Name                  forward
              Match                 *
              Host                  host.testcontainers.internal
              Port                  %d
              Compress              gzip
              Require_ack_response  true
              Shared_Key            s3cret-key
              Self_Hostname         fluent-bit
          """
              .formatted(RECORDS, router.forwardPort());
      try (GenericContainer<?> fluentBit =
          new GenericContainer<>(IMAGE)
              .withCopyToContainer(Transferable.of(config), "/fluent-bit/etc/fluent-bit.conf")
              .withCommand("/fluent-bit/bin/fluent-bit", "-c", "/fluent-bit/etc/fluent-bit.conf")) {
        fluentBit.start();
        assertThat(router.awaitLines("web-firelens-5f8a1c2d3e4b", RECORDS, Duration.ofSeconds(60)))
            .hasSize(RECORDS)
            .allSatisfy(line -> assertThat(line).contains("\"log\":\"GET /index.html 200\""));
      }
    }
  }
}
