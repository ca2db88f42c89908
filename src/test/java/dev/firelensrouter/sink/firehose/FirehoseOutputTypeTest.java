package dev.firelensrouter.sink.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problem;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.YamlReader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FirehoseOutputTypeTest {
  private final FirehoseOutputType type = new FirehoseOutputType(target -> null);

  private Optional<FirehoseConfig> validate(String yaml, Problems problems) {
    MapNode node = (MapNode) new YamlReader("out.yaml", n -> null, problems).read(yaml).get();
    return type.validate(new OutputSpec("lake", "firehose", node), problems);
  }

  @Test
  void theDeliveryStreamIsATemplate() {
    Problems problems = new Problems();

    FirehoseConfig c =
        validate("type: firehose\ndelivery_stream: \"lake-{{ tag }}\"\n", problems).orElseThrow();

    assertThat(problems.errors()).isEmpty();
    assertThat(c.deliveryStream().variables()).contains("tag");
  }

  @Test
  void aBadDeliveryStreamTemplateIsRefusedWithItsLine() {
    for (String bad : new String[] {"\"{{ tag | upper }}\"", "\"{{ ecs.famly }}-{{ tag\""}) {
      Problems problems = new Problems();

      assertThat(validate("type: firehose\ndelivery_stream: " + bad + "\n", problems)).isEmpty();

      assertThat(problems.errors())
          .as(bad)
          .extracting(Problem::toString)
          .anyMatch(
              p -> p.contains("out.yaml:2:") && p.contains("'delivery_stream' is not a valid"));
    }
  }
}
