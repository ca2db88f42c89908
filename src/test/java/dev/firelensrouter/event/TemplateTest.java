package dev.firelensrouter.event;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
  private static final String TAG = "nginx-firelens-0123456789abcdef";
  private static final TemplateScope ECS =
      Map.of(
              "ecs.cluster", "prod",
              "ecs.task_id", "0123456789abcdef",
              "ecs.family", "web",
              "ecs.revision", "7")
          ::get;
  // 2023-11-14T22:13:20.123Z
  private final Event event =
      event(map("container_name", "/nginx", "log", "hi", "k", map("pod", "p-1")));

  private static String render(String text, Event e) {
    return Template.compile(text, ZoneOffset.UTC).render(TAG, e, ECS);
  }

  @Test
  void rendersTagEcsAndContainerName() {
    assertThat(render("/ecs/{{ ecs.family }}", event)).isEqualTo("/ecs/web");
    assertThat(render("{{container_name}}/{{ ecs.task_id }}", event))
        .isEqualTo("nginx/0123456789abcdef");
    assertThat(render("logs/{{ tag }}", event)).isEqualTo("logs/" + TAG);
  }

  @Test
  void splitsTheTagOnDotsForTagN() {
    Template t = Template.compile("{{ tag[0] }}/{{ tag[2] }}/{{ tag[5] }}", ZoneOffset.UTC);
    assertThat(t.render("kube.var.log.app", event, TemplateScope.EMPTY)).isEqualTo("kube/log/");
    // FireLens tags use '-', so the whole tag is part 0
    assertThat(t.render(TAG, event, TemplateScope.EMPTY)).isEqualTo(TAG + "//");
  }

  @Test
  void readsRecordFieldsByDottedPath() {
    assertThat(render("{{ k.pod }}-{{ log }}", event)).isEqualTo("p-1-hi");
  }

  @Test
  void usesTheDefaultWhenTheValueIsMissingOrEmpty() {
    assertThat(render("{{ missing | default: \"none\" }}", event)).isEqualTo("none");
    assertThat(render("{{ ecs.az | default: 'no-az' }}", event)).isEqualTo("no-az");
    assertThat(render("{{ log | default: \"x\" }}", event)).isEqualTo("hi");
    assertThat(render("[{{ missing }}]", event)).isEqualTo("[]");
  }

  @Test
  void formatsTheEventTimeInTheTemplatesZone() {
    assertThat(render("%Y/%m/%d/%H/%M%S", event)).isEqualTo("2023/11/14/22/1320");
    Template tokyo = Template.compile("%Y-%m-%d %H %z %j %b %%", ZoneId.of("Asia/Tokyo"));
    assertThat(tokyo.render(TAG, event, ECS)).isEqualTo("2023-11-15 07 +0900 319 Nov %");
  }

  @Test
  void keepsUnknownPercentSequencesAsWritten() {
    assertThat(render("100%-%Q", event)).isEqualTo("100%-%Q");
  }

  @Test
  void rendersAFreshUuidAndTheScopesIndex() {
    String a = render("{{ uuid }}", event);
    String b = render("{{ uuid }}", event);
    assertThat(a).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(a).isNotEqualTo(b);
    TemplateScope scope =
        new TemplateScope() {
          @Override
          public String value(String name) {
            return null;
          }

          @Override
          public long index() {
            return 12;
          }
        };
    assertThat(Template.compile("part-{{ index }}", ZoneOffset.UTC).render(TAG, event, scope))
        .isEqualTo("part-12");
  }

  @Test
  void reportsWhetherItIsConstantAndWhichVariablesItReads() {
    assertThat(Template.compile("my-stream", ZoneOffset.UTC).isConstant()).isTrue();
    Template t = Template.compile("{{ tag }}/%Y/{{ ecs.cluster }}/{{ a.b }}", ZoneOffset.UTC);
    assertThat(t.isConstant()).isFalse();
    assertThat(t.variables()).containsExactly("tag", "time", "ecs.cluster", "a.b");
  }

  @Test
  void refusesUnknownVariablesNamingTheColumn() {
    assertThatThrownBy(() -> Template.compile("/ecs/{{ ecs.famly }}", ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column 9")
        .hasMessageContaining("ecs.famly");
    assertThatThrownBy(() -> Template.compile("x{{ tag }", ZoneOffset.UTC))
        .hasMessageContaining("column 2")
        .hasMessageContaining("never closed");
    assertThatThrownBy(() -> Template.compile("{{ tag | upper }}", ZoneOffset.UTC))
        .hasMessageContaining("column 10")
        .hasMessageContaining("unknown filter");
    assertThatThrownBy(() -> Template.compile("{{ }}", ZoneOffset.UTC))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Template.compile("{{ tag[x] }}", ZoneOffset.UTC))
        .hasMessageContaining("tag[N]");
    assertThatThrownBy(() -> Template.compile("{{ a b }}", ZoneOffset.UTC))
        .hasMessageContaining("unknown variable 'a b'");
  }
}
