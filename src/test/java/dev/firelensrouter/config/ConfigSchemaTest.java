package dev.firelensrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.firelensrouter.route.RouteSyntax;
import dev.firelensrouter.route.RouteTable;
import dev.firelensrouter.sink.OutputType;
import dev.firelensrouter.sink.local.LocalOutputTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The JSON Schema editors use stays in step with the loader and accepts every example config. */
class ConfigSchemaTest {
  private static final Path CONFIG_DIR = Path.of("config");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Output types whose keys the schema must list (add each new type here). */
  private static List<OutputType<?>> outputTypes() {
    List<OutputType<?>> types = new ArrayList<>(LocalOutputTypes.all());
    types.add(
        new dev.firelensrouter.sink.s3.S3OutputType(
            options -> {
              throw new IllegalStateException("no client in a schema test");
            }));
    types.add(
        new dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType(
            target -> {
              throw new IllegalStateException("no client in a schema test");
            }));
    types.add(
        new dev.firelensrouter.sink.firehose.FirehoseOutputType(
            target -> {
              throw new IllegalStateException("no client in a schema test");
            }));
    return types;
  }

  private final JsonNode schemaTree = read();
  private final JsonSchema schema =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaTree);

  private static JsonNode read() {
    try {
      return JSON.readTree(CONFIG_DIR.resolve("firelens-router.schema.json").toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> yamlFiles() throws IOException {
    try (Stream<Path> files = Files.list(CONFIG_DIR)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyConfigInTheConfigFolderIsValidAgainstTheSchema() throws IOException {
    List<Path> files = yamlFiles();
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Set<ValidationMessage> errors = schema.validate(YAML.readTree(file.toFile()));
      assertThat(errors).as(file.toString()).isEmpty();
      assertThat(Files.readString(file))
          .as(file + " names the schema for editors")
          .startsWith("# yaml-language-server: $schema=./firelens-router.schema.json");
    }
  }

  @Test
  void everyConfigInTheConfigFolderLoadsAndCompilesWithoutErrors() throws IOException {
    for (Path file : yamlFiles()) {
      Problems problems = new Problems();
      RouterConfig cfg = new ConfigLoader(n -> null).load(file, problems).orElseThrow();
      Set<String> outputs =
          cfg.outputs().stream().map(OutputSpec::name).collect(Collectors.toSet());
      RouteTable.compile(cfg.routes(), outputs, problems);
      assertThat(problems.errors()).as(file.toString()).isEmpty();
    }
  }

  @Test
  void theSchemaRefusesMistakesTheLoaderRefuses() throws IOException {
    String bad =
        """
        outputs:
          a: { type: stdout, colour: red }
        routes:
          - name: r
            match: { tag: "x-*", all: [ { field: a, equalz: b } ] }
            transform: [ { parse_jsn: log } ]
            to: [a]
        """;
    Set<ValidationMessage> errors = schema.validate(YAML.readTree(bad));
    String all =
        errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("\n"));
    assertThat(all).contains("colour").contains("equalz").contains("parse_jsn");
  }

  @Test
  void everyKeyTheLoaderAcceptsIsInTheSchema() {
    assertSame(props(schemaTree), ConfigLoader.TOP_KEYS);
    assertSame(props(schemaTree.at("/properties/service")), ConfigLoader.SERVICE_KEYS);
    assertSame(props(schemaTree.at("/properties/inputs")), ConfigLoader.INPUT_KEYS);
    assertSame(
        props(schemaTree.at("/properties/inputs/properties/forward")), ConfigLoader.FORWARD_KEYS);
    assertSame(props(def("route")), ConfigLoader.ROUTE_KEYS);
    assertSame(props(def("route").at("/properties/match")), RouteSyntax.MATCH_KEYS);
    assertSame(props(def("condition")), RouteSyntax.CONDITION_KEYS);
    assertSame(props(def("step")), RouteSyntax.TRANSFORM_STEPS);
    for (Map.Entry<String, List<String>> e : RouteSyntax.STEP_OPTIONS.entrySet()) {
      JsonNode step = def("step").at("/properties/" + e.getKey());
      JsonNode options = step.has("oneOf") ? step.get("oneOf").get(1) : step;
      assertThat(props(options))
          .as("transform " + e.getKey())
          .containsExactlyInAnyOrderElementsOf(e.getValue());
    }
    for (OutputType<?> type : outputTypes()) {
      JsonNode def = def("output_" + type.type());
      assertThat(def.isMissingNode()).as("schema has output type " + type.type()).isFalse();
      assertThat(props(def)).as("output type " + type.type()).containsAll(type.keys());
    }
  }

  private JsonNode def(String name) {
    return schemaTree.at("/definitions/" + name);
  }

  private static void assertSame(Collection<String> schemaKeys, Collection<String> loaderKeys) {
    assertThat(schemaKeys).containsExactlyInAnyOrderElementsOf(loaderKeys);
  }

  private static List<String> props(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.path("properties").fieldNames().forEachRemaining(out::add);
    out.remove("type");
    return out;
  }
}
