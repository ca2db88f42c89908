package dev.firelensrouter.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.aws.IamActions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The task-role permissions of docs/ecs.md: each policy there parses, and names exactly the actions
 * of {@link IamActions}, which in turn lists exactly the AWS operations each output's code calls.
 */
class IamPolicyDocsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MAIN = Path.of("src/main/java/dev/firelensrouter");

  /** Output type: its SDK client and the package holding its code. */
  private static final Map<String, Map.Entry<Class<?>, Path>> OUTPUTS =
      Map.of(
          "cloudwatch_logs",
          Map.entry(CloudWatchLogsAsyncClient.class, MAIN.resolve("sink/cloudwatch")),
          "firehose",
          Map.entry(FirehoseAsyncClient.class, MAIN.resolve("sink/firehose")),
          "s3",
          Map.entry(S3AsyncClient.class, MAIN.resolve("sink/s3")));

  @Test
  void theTableListsExactlyTheOperationsEachOutputCalls() throws IOException {
    for (var output : OUTPUTS.entrySet()) {
      Set<String> called =
          operationsCalled(output.getValue().getKey(), output.getValue().getValue());
      assertThat(called)
          .as("SDK operations called in %s", output.getValue().getValue())
          .isNotEmpty()
          .containsExactlyInAnyOrderElementsOf(
              IamActions.BY_OUTPUT_TYPE.get(output.getKey()).keySet());
    }
    assertThat(IamActions.BY_OUTPUT_TYPE).containsOnlyKeys(OUTPUTS.keySet());
    // role_arn: the credentials come from STS AssumeRole.
    assertThat(Files.readString(MAIN.resolve("aws/AwsClients.java")))
        .contains("StsAssumeRoleCredentialsProvider")
        .contains(".roleArn(");
    assertThat(IamActions.ROLE_ARN).containsEntry("assumeRole", "sts:AssumeRole");
  }

  @Test
  void everyPolicyInTheEcsGuideParsesAndNamesEveryActionItsOutputNeeds() throws IOException {
    List<JsonNode> policies = jsonBlocks(Files.readString(Path.of("docs/ecs.md")));
    assertThat(policies).hasSizeGreaterThanOrEqualTo(4);
    Set<String> documented = new TreeSet<>();
    for (JsonNode policy : policies) {
      assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
      for (JsonNode statement : policy.get("Statement")) {
        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.has("Resource")).as("Resource of %s", statement).isTrue();
        statement.get("Action").forEach(a -> documented.add(a.asText()));
      }
    }
    Set<String> needed = new TreeSet<>();
    for (String type : IamActions.BY_OUTPUT_TYPE.keySet()) {
      needed.addAll(IamActions.actions(type));
    }
    needed.addAll(IamActions.ROLE_ARN.values());
    assertThat(documented).as("the actions of docs/ecs.md").isEqualTo(needed);
    // One policy per output type, holding all of that type's actions.
    for (String type : IamActions.BY_OUTPUT_TYPE.keySet()) {
      Set<String> actions = IamActions.actions(type);
      assertThat(policies)
          .as("a policy for %s", type)
          .anySatisfy(p -> assertThat(actionsOf(p)).isEqualTo(actions));
    }
  }

  /** Names of the client's API operations that appear as calls in the package's sources. */
  private static Set<String> operationsCalled(Class<?> client, Path sources) throws IOException {
    Set<String> operations = new TreeSet<>();
    for (Method m : client.getMethods()) {
      if (m.getParameterCount() >= 1
          && AwsRequest.class.isAssignableFrom(m.getParameterTypes()[0])) {
        operations.add(m.getName());
      }
    }
    Set<String> called = new TreeSet<>();
    Pattern call = Pattern.compile("\\.(\\w+)\\(");
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = call.matcher(Files.readString(f));
        while (m.find()) {
          if (operations.contains(m.group(1))) {
            called.add(m.group(1));
          }
        }
      }
    }
    return called;
  }

  private static List<JsonNode> jsonBlocks(String markdown) throws IOException {
    List<JsonNode> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(JSON.readTree(m.group(1)));
    }
    return blocks;
  }

  private static Set<String> actionsOf(JsonNode policy) {
    Set<String> out = new TreeSet<>();
    policy.get("Statement").forEach(s -> s.get("Action").forEach(a -> out.add(a.asText())));
    return out;
  }
}
