package dev.firelensrouter.route;

import static dev.firelensrouter.event.TestRecords.event;
import static dev.firelensrouter.event.TestRecords.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final RoutingFixture f = new RoutingFixture();
  private final Event rec =
      event(
          map(
              "source",
              "stdout",
              "status",
              503,
              "code",
              "503",
              "latency",
              1.5,
              "name",
              "beta",
              "kubernetes",
              map("namespace", "prod")));

  private boolean matches(String condition) {
    RouteTable t =
        f.table("  - name: r\n    match:\n      all:\n        - " + condition + "\n    to: [a]\n");
    return t.routes().get(0).match().matchesRecord(rec);
  }

  @Test
  void equalsComparesNumbersAsNumbersAndStringsAsStrings() {
    assertThat(matches("{ field: status, equals: 503 }")).isTrue();
    assertThat(matches("{ field: status, equals: 503.0 }")).isTrue();
    assertThat(matches("{ field: code, equals: \"503\" }")).isTrue();
    assertThat(matches("{ field: source, equals: stdout }")).isTrue();
    assertThat(matches("{ field: source, equals: stderr }")).isFalse();
    assertThat(matches("{ field: kubernetes.namespace, equals: prod }")).isTrue();
  }

  @Test
  void missingFieldsNeverMatchExceptExistsFalse() {
    assertThat(matches("{ field: nope, not_equals: x }")).isFalse();
    assertThat(matches("{ field: nope, lt: 5 }")).isFalse();
    assertThat(matches("{ field: nope, matches: \".*\" }")).isFalse();
    assertThat(matches("{ field: nope, exists: false }")).isTrue();
    assertThat(matches("{ field: nope, exists: true }")).isFalse();
    assertThat(matches("{ field: source, exists: true }")).isTrue();
  }

  @Test
  void greaterAndLessThan() {
    assertThat(matches("{ field: status, gt: 499 }")).isTrue();
    assertThat(matches("{ field: status, gt: 1000 }")).isFalse();
    assertThat(matches("{ field: latency, lt: 2 }")).isTrue();
    assertThat(matches("{ field: code, gt: 99 }")).isTrue();
    assertThat(matches("{ field: name, gt: alpha }")).isTrue();
    assertThat(matches("{ field: name, lt: alpha }")).isFalse();
    assertThat(matches("{ field: name, gt: 5 }")).isFalse();
  }

  @Test
  void matchesFindsARegexAnywhereAndInTakesAList() {
    assertThat(matches("{ field: name, matches: \"et\" }")).isTrue();
    assertThat(matches("{ field: name, matches: \"^et\" }")).isFalse();
    assertThat(matches("{ field: name, in: [alpha, beta] }")).isTrue();
    assertThat(matches("{ field: status, in: [500, 503] }")).isTrue();
    assertThat(matches("{ field: status, in: [500] }")).isFalse();
  }

  @Test
  void anyAndNoneCombine() {
    RouteTable t =
        f.table(
            """
              - name: r
                match:
                  any:
                    - { field: source, equals: stderr }
                    - { field: status, gt: 500 }
                  none:
                    - { field: name, equals: alpha }
                to: [a]
            """);
    assertThat(t.routes().get(0).match().matchesRecord(rec)).isTrue();
    assertThat(t.routes().get(0).match().matchesRecord(event(map("name", "alpha", "status", 503))))
        .isFalse();
    assertThat(t.routes().get(0).match().whyNot("x", event(map("source", "stdout"))))
        .hasValueSatisfying(
            s -> assertThat(s).contains("any: none held").contains("status is missing"));
  }

  @Test
  void reportsEveryProblemWithItsLocation() {
    List<String> problems =
        RoutingFixture.problems(
            """
              - name: r
                match:
                  tag: "app-[0-9"
                  tag_regex: "("
                  al: []
                  all:
                    - { field: log, matchez: x }
                    - { field: log, matches: "[" }
                    - { field: log, equals: a, in: [b] }
                    - { equals: a }
                transform:
                  - parse_jsn: log
                  - set: { a: "{{ ecs.nope }}" }
                  - sample: { one_in: 0 }
                  - multiline: { start: "(", timeout: soon }
                to: [a]
            """);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("test.yaml:8:7:").contains("bad tag glob"))
        .anySatisfy(p -> assertThat(p).startsWith("test.yaml:9:7:").contains("invalid regex"))
        .anySatisfy(p -> assertThat(p).contains("unknown key 'al'").contains("did you mean 'all'"))
        .anySatisfy(p -> assertThat(p).contains("unknown key 'matchez'"))
        .anySatisfy(p -> assertThat(p).startsWith("test.yaml:13:25:").contains("invalid regex '['"))
        .anySatisfy(p -> assertThat(p).contains("exactly one of").contains("found equals, in"))
        .anySatisfy(p -> assertThat(p).contains("a condition needs 'field'"))
        .anySatisfy(p -> assertThat(p).contains("unknown key 'parse_jsn'"))
        .anySatisfy(p -> assertThat(p).startsWith("test.yaml:18:").contains("ecs.nope"))
        .anySatisfy(p -> assertThat(p).contains("'one_in' must be between 1"))
        .anySatisfy(p -> assertThat(p).contains("'timeout' must be a duration"));
  }
}
