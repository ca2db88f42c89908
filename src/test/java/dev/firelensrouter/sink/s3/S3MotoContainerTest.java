package dev.firelensrouter.sink.s3;

import static dev.firelensrouter.sink.s3.S3TestRig.range;
import static dev.firelensrouter.sink.s3.S3TestRig.send;
import static dev.firelensrouter.sink.s3.S3TestRig.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DrainReport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The S3 destination against a moto container; skipped where no Docker engine answers. */
@Testcontainers(disabledWithoutDocker = true)
class S3MotoContainerTest {
  @Container
  private static final GenericContainer<?> MOTO =
      new GenericContainer<>("motoserver/moto:5.1.4")
          .withExposedPorts(5000)
          .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));

  @TempDir Path dataDir;

  @Test
  void recordsArriveInTheContainerBucketAsMultipartAndPutObjects() {
    URI endpoint = URI.create("http://" + MOTO.getHost() + ":" + MOTO.getMappedPort(5000));
    try (S3TestRig rig = new S3TestRig(dataDir, endpoint)) {
      rig.client.createBucket(r -> r.bucket("container-logs")).join();
      Destination d =
          rig.start(
              """
              bucket: container-logs
              compression: none
              max_object_size: 7MiB
              multipart_threshold: 6MiB
              part_size: 5MiB
              upload_after: 1h
              """);
      send(d, "app", 0, 10_000, 1000);

      DrainReport report = d.drain(Instant.now().plusSeconds(60));

      assertThat(report.isClean()).as(report.reason()).isTrue();
      assertThat(seqs(rig.lines("container-logs", Compression.NONE))).isEqualTo(range(0, 10_000));
    }
  }
}
