package dev.firelensrouter.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import org.junit.jupiter.api.Test;

class S3KeysTest {
  private static final Event AT_10_59_30 = S3TestRig.event(0, "");
  private static final Event TWO_SECONDS_LATER = S3TestRig.event(2000, "");

  @Test
  void recordsOfOneTagAndHourShareAnObjectWhateverTheSecondsAndUuidInTheFileName() {
    S3Keys keys = new S3Keys("logs/{{ tag }}/%Y/%m/%d/%H/%M%S-{{ uuid }}.jsonl.gz");

    String a = keys.partition("web", AT_10_59_30, TemplateScope.EMPTY);
    String b = keys.partition("web", TWO_SECONDS_LATER, TemplateScope.EMPTY);

    assertThat(a).isEqualTo(b).isEqualTo("logs/web/2023/11/14/22/-.jsonl.gz");
    assertThat(keys.partition("db", AT_10_59_30, TemplateScope.EMPTY)).isNotEqualTo(a);
  }

  @Test
  void theKeyIsRenderedFromTheFirstRecordWithItsIndex() {
    S3Keys keys = new S3Keys("{{ tag }}/%H%M%S-{{ index }}.log");

    assertThat(keys.objectKey("web", AT_10_59_30, TemplateScope.EMPTY, 7))
        .isEqualTo("web/221320-7.log");
  }

  @Test
  void aTemplateWithoutUuidOrIndexGetsARandomSuffixBeforeTheExtension() {
    S3Keys keys = new S3Keys("{{ tag }}/archive.jsonl.gz");

    String key = keys.objectKey("web", AT_10_59_30, TemplateScope.EMPTY, 0);

    assertThat(key).matches("web/archive-[0-9a-f]+\\.jsonl\\.gz");
  }

  @Test
  void charactersS3AdvisesAgainstAreReplacedAndEmptyOrDotSegmentsRemoved() {
    assertThat(S3Keys.escape("/a//b/../c{d}|e#f^g%h\\i.log/"))
        .isEqualTo("a/b/__/c_d__e_f_g_h_i.log");
    assertThat(S3Keys.escape("tab\there")).isEqualTo("tab_here");
  }
}
