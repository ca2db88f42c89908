package dev.firelensrouter.sink.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code delivery_stream} rendered per record: each record reaches the stream its tag names. */
class FirehoseStreamTemplateSandboxTest {
  private static final String CONFIG =
      """
      outputs:
        lake:
          type: firehose
          region: us-east-1
          delivery_stream: "lake-{{ tag }}"
          message: log
          flush_interval: 100ms
      routes:
        - to: [lake]
      """;

  @TempDir Path dir;

  @Test
  void eachRecordGoesToTheStreamItsTemplateRenders() throws Exception {
    try (AwsSandboxRig rig = new AwsSandboxRig(dir, CONFIG, true)) {
      Map<String, List<String>> byTag = new LinkedHashMap<>();
      byTag.put("orders", List.of("o1", "o2", "o3"));
      byTag.put("billing", List.of("b1", "b2"));
      // A character Firehose refuses in a stream name becomes '_'.
      byTag.put("web:edge", List.of("w1"));
      rig.sendByTag(byTag, Instant.now().getEpochSecond());
      rig.awaitDelivered(6, "lake");

      assertThat(rig.firehoseLines("lake-orders")).containsExactlyInAnyOrder("o1", "o2", "o3");
      assertThat(rig.firehoseLines("lake-billing")).containsExactlyInAnyOrder("b1", "b2");
      assertThat(rig.firehoseLines("lake-web_edge")).containsExactly("w1");
      assertThat(rig.firehoseLines("lake-{{ tag }}")).isEmpty();
    }
  }
}
