package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which stores a run must fill, read from the router's own drain summary. */
class FedStoresTest {
  private static final Path AWS = Path.of("perf/configs/aws-sandbox.yaml");

  @Test
  void anOutputThatDeliveredOrStillHeldRecordsMustShowThemInItsStore() {
    assertThat(
            PerfRunner.fedStores(
                AWS, "drained cleanly in 812 ms: app_logs=20400 delivered, lake=20400 delivered"))
        .containsExactlyInAnyOrder("cloudwatch", "firehose");
    assertThat(
            PerfRunner.fedStores(
                AWS,
                "drained with 200 records left in 3006 ms: app_logs=0 delivered/200 left"
                    + " (deadline passed), lake=500 delivered"))
        .containsExactlyInAnyOrder("cloudwatch", "firehose");
  }

  @Test
  void anOutputNoRecordReachedIsNotExpectedToHoldAny() {
    assertThat(
            PerfRunner.fedStores(
                Path.of("perf/configs/example-sandbox.yaml"),
                "drained cleanly in 20 ms: archive=3000 delivered, errors=0 delivered,"
                    + " everything_else=0 delivered"))
        .containsExactly("s3");
  }
}
