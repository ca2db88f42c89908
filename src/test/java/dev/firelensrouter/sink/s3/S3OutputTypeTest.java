package dev.firelensrouter.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problem;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.YamlReader;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3OutputTypeTest {
  private final S3OutputType type = new S3OutputType(options -> null);

  private Optional<S3Config> validate(String yaml, Problems problems) {
    MapNode node = (MapNode) new YamlReader("out.yaml", n -> null, problems).read(yaml).get();
    return type.validate(new OutputSpec("archive", "s3", node), problems);
  }

  @Test
  void theContractExampleValidatesWithItsSizesAndDefaults() {
    Problems problems = new Problems();
    S3Config c =
        validate(
                """
                type: s3
                bucket: my-log-archive
                key: "logs/{{ tag }}/%Y/%m/%d/%H/%M%S-{{ uuid }}.jsonl.gz"
                compression: gzip
                max_object_size: 50MiB
                upload_after: 60s
                """,
                problems)
            .orElseThrow();

    assertThat(problems.errors()).isEmpty();
    assertThat(c.maxObjectSize()).isEqualTo(50L << 20);
    assertThat(c.uploadAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.fsync()).isEqualTo(S3Config.Fsync.BATCH);
    assertThat(c.blockWhenFull()).isTrue();
    assertThat(c.contentType()).isEqualTo("application/gzip");
  }

  @Test
  void partsBelowFiveMebibytesAndAKmsKeyWithoutKmsEncryptionAreRefusedWithTheirLine() {
    Problems problems = new Problems();
    Optional<S3Config> c =
        validate(
            """
            type: s3
            bucket: b
            part_size: 1MiB
            kms_key_id: abc
            """,
            problems);

    assertThat(c).isEmpty();
    assertThat(problems.errors())
        .extracting(Problem::toString)
        .anyMatch(p -> p.contains("out.yaml:3:") && p.contains("5MiB"))
        .anyMatch(p -> p.contains("out.yaml:4:") && p.contains("aws:kms"));
  }

  @Test
  void aMissingBucketAndABadKeyTemplateAreReported() {
    Problems problems = new Problems();

    assertThat(validate("type: s3\nkey: \"{{ nope\"\n", problems)).isEmpty();

    assertThat(problems.errors())
        .extracting(Problem::toString)
        .anyMatch(p -> p.contains("needs 'bucket'"))
        .anyMatch(p -> p.contains("'key' is not a valid template"));
  }
}
