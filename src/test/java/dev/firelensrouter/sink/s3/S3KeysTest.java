package dev.firelensrouter.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.TemplateScope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /** A tag of 600 three-byte characters: 1,800 UTF-8 bytes. */
  private static final String LONG_TAG = "\u65e5".repeat(600);

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aKeyOverS3sLimitIsCutBeforeItsUuidAndExtensionSoObjectsStayDistinct() {
    List<String> shortened = new ArrayList<>();
    S3Keys keys = new S3Keys("logs/{{ tag }}/%H-{{ uuid }}.jsonl.gz", shortened::add);

    String a = keys.objectKey(LONG_TAG, AT_10_59_30, TemplateScope.EMPTY, 0);
    String b = keys.objectKey(LONG_TAG, AT_10_59_30, TemplateScope.EMPTY, 1);

    assertThat(a).isNotEqualTo(b);
    for (String key : List.of(a, b)) {
      assertThat(utf8(key)).isLessThanOrEqualTo(1024).isGreaterThan(1020);
      assertThat(key)
          .startsWith("logs/\u65e5\u65e5")
          .matches("(?s).*\u65e5/22-[0-9a-f-]{36}\\.jsonl\\.gz");
      // Cut on a character boundary: the key survives a round trip through UTF-8 unchanged.
      assertThat(new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
          .isEqualTo(key);
    }
    assertThat(shortened).containsExactly(a, b);
  }

  @Test
  void aShortenedKeyKeepsItsIndexOrRandomSuffixAndExtension() {
    String indexed =
        new S3Keys("{{ tag }}/{{ index }}.log")
            .objectKey(LONG_TAG, AT_10_59_30, TemplateScope.EMPTY, 42);
    String suffixed =
        new S3Keys("{{ tag }}/archive.jsonl.gz")
            .objectKey("a/" + LONG_TAG, AT_10_59_30, TemplateScope.EMPTY, 0);
    String fourByteChars =
        new S3Keys("{{ tag }}-{{ uuid }}")
            .objectKey("\ud83d\ude00".repeat(300), AT_10_59_30, TemplateScope.EMPTY, 0);

    assertThat(indexed).endsWith("\u65e5/42.log");
    assertThat(utf8(indexed)).isLessThanOrEqualTo(1024);
    assertThat(suffixed).matches("(?s)a/\u65e5+/archive-[0-9a-f]+\\.jsonl\\.gz");
    assertThat(utf8(suffixed)).isLessThanOrEqualTo(1024);
    assertThat(fourByteChars).matches("(?s)(\ud83d\ude00)+[0-9a-f-]{36}");
    assertThat(utf8(fourByteChars)).isLessThanOrEqualTo(1024);
  }

  @Test
  void aKeyWithinTheLimitIsNotReportedAsShortened() {
    List<String> shortened = new ArrayList<>();
    S3Keys keys = new S3Keys("logs/{{ tag }}/{{ uuid }}.jsonl.gz", shortened::add);

    String key = keys.objectKey("\u65e5".repeat(300), AT_10_59_30, TemplateScope.EMPTY, 0);

    assertThat(utf8(key)).isEqualTo(5 + 900 + 1 + 36 + 9);
    assertThat(shortened).isEmpty();
  }
}
