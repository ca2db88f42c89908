package dev.firelensrouter.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.event.TemplateScope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplainerTest {
  private static final String CONFIG =
      """
      outputs:
        app_logs:
          type: cloudwatch_logs
          log_group: /ecs/{{ ecs.family }}
          log_stream: "{{ container_name }}/{{ ecs.task_id }}"
        archive:
          type: s3
          bucket: my-archive
          key: "logs/{{ tag }}/%Y/%m/%d/x.jsonl.gz"
      routes:
        - name: nginx-access
          match:
            tag: "nginx-firelens-*"
            all:
              - { field: source, equals: stdout }
          transform:
            - parse_json: log
            - remove: [log]
          to: [archive]
        - name: errors
          match:
            any:
              - { field: log, matches: "ERROR|FATAL" }
          to: [app_logs]
          continue: true
        - name: default
          to: [app_logs]
      """;
  private static final TemplateScope ECS =
      Map.of("ecs.family", "web", "ecs.task_id", "abc123")::get;
  private final Explainer explainer =
      new Explainer(ECS, Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));

  private static RouterConfig config() {
    Problems problems = new Problems();
    return new ConfigLoader(n -> null).parse("explain.yaml", CONFIG, problems).orElseThrow();
  }

  @Test
  void showsWhichRouteTookTheRecordTheTransformsAndTheRenderedNames() {
    ExplainReport r =
        explainer.explain(
            config(),
            "nginx-firelens-abc123",
            "{\"source\":\"stdout\",\"log\":\"{\\\"status\\\":200}\",\"container_name\":\"/nginx\"}");
    assertThat(r.routes())
        .extracting(ExplainReport.RouteVerdict::verdict)
        .containsExactly("matched", "not_reached", "not_reached");
    ExplainReport.RouteVerdict first = r.routes().get(0);
    assertThat(first.steps()).hasSize(2);
    assertThat(first.steps().get(0).record().get("status").asInt()).isEqualTo(200);
    assertThat(first.steps().get(1).record().has("log")).isFalse();
    assertThat(first.targets().get(0).names())
        .containsEntry("key", "logs/nginx-firelens-abc123/2026/03/04/x.jsonl.gz")
        .containsEntry("bucket", "my-archive");
    assertThat(r.toText()).contains("route nginx-access: MATCHED").contains("not reached");
  }

  @Test
  void saysWhichConditionFailedForRoutesThatDidNotMatch() throws Exception {
    ExplainReport r =
        explainer.explain(
            config(),
            "app-firelens-abc123",
            "{\"source\":\"stderr\",\"log\":\"FATAL x\",\"container_name\":\"/app\"}");
    assertThat(r.routes().get(0).verdict()).isEqualTo("no_match");
    assertThat(r.routes().get(0).why()).contains("does not match 'nginx-firelens-*'");
    assertThat(r.routes().get(1).verdict()).isEqualTo("matched");
    assertThat(r.routes().get(1).targets().get(0).names())
        .containsEntry("log_group", "/ecs/web")
        .containsEntry("log_stream", "app/abc123");
    assertThat(r.routes().get(2).verdict()).isEqualTo("matched");
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("routes").get(0).get("why").asText()).contains("nginx-firelens-*");
    assertThat(json.get("unrouted").asBoolean()).isFalse();

    ExplainReport wrongSource =
        explainer.explain(config(), "nginx-firelens-1", "{\"source\":\"stderr\",\"log\":\"ok\"}");
    assertThat(wrongSource.routes().get(0).why())
        .contains("source equals \"stdout\" failed (source is \"stderr\")");
  }

  @Test
  void refusesARecordThatIsNotJson() {
    assertThatThrownBy(() -> explainer.explain(config(), "t", "{nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }
}
