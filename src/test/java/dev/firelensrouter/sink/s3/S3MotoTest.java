package dev.firelensrouter.sink.s3;

import static dev.firelensrouter.sink.s3.S3TestRig.range;
import static dev.firelensrouter.sink.s3.S3TestRig.send;
import static dev.firelensrouter.sink.s3.S3TestRig.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DrainReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 destination against moto_server, a real S3 emulator we did not write. */
class S3MotoTest {
  private static MotoServer moto;

  @TempDir Path dataDir;

  @BeforeAll
  static void startMoto() throws Exception {
    moto = MotoServer.startOrSkip();
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "zstd"})
  void recordsArriveCompressedUnderTheRenderedKeys(String compression) {
    String bucket = "moto-" + compression;
    try (S3TestRig rig = new S3TestRig(dataDir, moto.endpoint)) {
      rig.client.createBucket(r -> r.bucket(bucket)).join();
      Destination d =
          rig.start(
              "bucket: "
                  + bucket
                  + "\ncompression: "
                  + compression
                  + "\nkey: \"{{ tag[0] }}/dt=%Y-%m-%d/{{ uuid }}.log\"\nupload_after: 1h\n");
      send(d, "nginx.access", 0, 700, 200);
      send(d, "app.main", 700, 1000, 200);

      DrainReport report = d.drain(Instant.now().plusSeconds(30));

      assertThat(report.isClean()).as(report.reason()).isTrue();
      assertThat(rig.list(bucket))
          .extracting(o -> o.key().replaceAll("[0-9a-f-]{36}", "U"))
          .containsExactlyInAnyOrder("nginx/dt=2023-11-14/U.log", "app/dt=2023-11-14/U.log");
      assertThat(seqs(rig.lines(bucket, Compression.of(compression)))).isEqualTo(range(0, 1000));
    }
  }

  @Test
  void sixtyMegabytesComeOutAsObjectsNearMaxObjectSizeUploadedInParts() {
    String bucket = "moto-large";
    try (S3TestRig rig = new S3TestRig(dataDir, moto.endpoint)) {
      rig.client.createBucket(r -> r.bucket(bucket)).join();
      Destination d =
          rig.start(
              "bucket: "
                  + bucket
                  + "\ncompression: none\nmax_object_size: 16MiB\nmultipart_threshold: 8MiB\n"
                  + "part_size: 5MiB\nupload_after: 1h\n");
      send(d, "big", 0, 60_000, 1000);

      DrainReport report = d.drain(Instant.now().plusSeconds(60));

      assertThat(report.isClean()).as(report.reason()).isTrue();
      List<S3Object> objects = rig.list(bucket);
      assertThat(objects).hasSize(4);
      long full = 16L << 20;
      assertThat(objects.stream().filter(o -> o.size() >= full && o.size() < full + (256 << 10)))
          .hasSize(3);
      assertThat(objects).allMatch(o -> o.eTag().contains("-"), "multipart ETag (md5-N)");
      assertThat(seqs(rig.lines(bucket, Compression.NONE))).isEqualTo(range(0, 60_000));
    }
  }
}
