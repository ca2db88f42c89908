package dev.firelensrouter.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TagPatternTest {
  @Test
  void starMatchesFireLensTagsOfOneContainer() {
    TagPattern p = TagPattern.glob("nginx-firelens-*");
    assertThat(p.matches("nginx-firelens-0123456789abcdef")).isTrue();
    assertThat(p.matches("app-firelens-0123456789abcdef")).isFalse();
    assertThat(p.matches("nginx-firelens")).isFalse();
  }

  @Test
  void starCrossesDotsAsInFluentBit() {
    assertThat(TagPattern.glob("kube.*").matches("kube.var.log.containers.x")).isTrue();
    assertThat(TagPattern.glob("kube.**").matches("kube.a.b")).isTrue();
    assertThat(TagPattern.glob("*").matches("")).isTrue();
  }

  @Test
  void questionMarkClassesAndAlternatives() {
    assertThat(TagPattern.glob("app-?").matches("app-1")).isTrue();
    assertThat(TagPattern.glob("app-?").matches("app-12")).isFalse();
    assertThat(TagPattern.glob("app-[0-9]x").matches("app-7x")).isTrue();
    assertThat(TagPattern.glob("app-[!0-9]x").matches("app-7x")).isFalse();
    assertThat(TagPattern.glob("{nginx,envoy}-firelens-*").matches("envoy-firelens-1")).isTrue();
    assertThat(TagPattern.glob("a.b").matches("aXb")).isFalse();
  }

  @Test
  void refusesUnclosedClassesAndBraces() {
    assertThatThrownBy(() -> TagPattern.glob("app-[0-9")).hasMessageContaining("column 5");
    assertThatThrownBy(() -> TagPattern.glob("{a,b")).hasMessageContaining("never closed");
  }

  @Test
  void aTagRegexIsFoundAnywhereInTheTagUnlessAnchored() {
    assertThat(TagPattern.regex("mid").matches("xmidx")).isTrue();
    assertThat(TagPattern.regex("^debug-").matches("debug-api")).isTrue();
    assertThat(TagPattern.regex("^debug-").matches("app-debug-api")).isFalse();
    assertThat(TagPattern.regex("^app$").matches("app.web")).isFalse();
    assertThat(TagPattern.regex("firelens-[0-9a-f]+$").matches("nginx-firelens-0a1b")).isTrue();
  }
}
