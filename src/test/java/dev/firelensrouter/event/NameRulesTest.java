package dev.firelensrouter.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NameRulesTest {
  @Test
  void logGroupsKeepAllowedCharactersAndReplaceTheRest() {
    assertThat(NameRules.cloudWatchLogGroup("/ecs/web app:1")).isEqualTo("/ecs/web_app_1");
    assertThat(NameRules.cloudWatchLogGroup("a#b.c-d_e")).isEqualTo("a#b.c-d_e");
    assertThat(NameRules.cloudWatchLogGroup("x".repeat(600))).hasSize(512);
  }

  @Test
  void logStreamsLoseColonsAndStars() {
    assertThat(NameRules.cloudWatchLogStream("nginx/abc:1*")).isEqualTo("nginx/abc_1_");
    assertThat(NameRules.cloudWatchLogStream("ünïcode ok")).isEqualTo("ünïcode ok");
  }

  @Test
  void emptyRendersFallBackToANamedDefaultAndAreCounted() {
    AtomicInteger fallbacks = new AtomicInteger();
    assertThat(NameRules.cloudWatchLogGroup("", fallbacks::incrementAndGet))
        .isEqualTo(NameRules.DEFAULT_LOG_GROUP);
    assertThat(NameRules.cloudWatchLogStream(null, fallbacks::incrementAndGet))
        .isEqualTo(NameRules.DEFAULT_LOG_STREAM);
    assertThat(NameRules.s3Key("///", fallbacks::incrementAndGet))
        .isEqualTo(NameRules.DEFAULT_S3_KEY);
    assertThat(fallbacks.get()).isEqualTo(3);
  }

  @Test
  void s3KeysLoseLeadingSlashesAndControlCharactersAndStayWithin1024Bytes() {
    assertThat(NameRules.s3Key("/logs/a\nb/c.gz")).isEqualTo("logs/a_b/c.gz");
    String key = NameRules.s3Key("é".repeat(700));
    assertThat(key.getBytes(StandardCharsets.UTF_8).length).isEqualTo(1024);
  }

  @Test
  void firehoseStreamsKeepTheirCharactersAndStayWithin64() {
    assertThat(NameRules.firehoseStream("lake-app.web_1")).isEqualTo("lake-app.web_1");
    assertThat(NameRules.firehoseStream("lake/app:é")).isEqualTo("lake_app__");
    assertThat(NameRules.firehoseStream("x".repeat(100))).hasSize(64);
    assertThat(NameRules.firehoseStream("")).isEqualTo(NameRules.DEFAULT_DELIVERY_STREAM);
  }

  @Test
  void aNameThatIsValidAlreadyIsNotCopied() {
    // Names are made valid once per record: the usual, valid one must cost no allocation.
    String group = "/ecs/app-1.web#2";
    String stream = "app/nginx-firelens-0a1b";
    String lake = "lake-app.web_1";
    assertThat(NameRules.cloudWatchLogGroup(group)).isSameAs(group);
    assertThat(NameRules.cloudWatchLogStream(stream)).isSameAs(stream);
    assertThat(NameRules.firehoseStream(lake)).isSameAs(lake);
    assertThat(NameRules.cloudWatchLogStream("a:b")).isEqualTo("a_b");
  }
}
