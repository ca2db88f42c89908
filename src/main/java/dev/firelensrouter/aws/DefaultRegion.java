package dev.firelensrouter.aws;

import java.util.Map;
import java.util.Optional;

/**
 * The region of AWS outputs that name none: {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}
 * (Fargate sets both), else the region in the ECS task's ARN (on the EC2 launch type the agent sets
 * neither variable, but the task metadata always says where the task runs).
 */
public final class DefaultRegion {
  private DefaultRegion() {}

  /**
   * @param taskArn the task's ARN from the ECS task metadata, empty outside ECS
   */
  public static Optional<String> fromEnvironment(Map<String, String> env, String taskArn) {
    for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return fromArn(taskArn);
  }

  /** {@code arn:aws:ecs:eu-west-1:123456789012:task/...} -> {@code eu-west-1}. */
  static Optional<String> fromArn(String arn) {
    String[] parts = arn == null ? new String[0] : arn.split(":", 6);
    return parts.length >= 5 && parts[0].equals("arn") && !parts[3].isBlank()
        ? Optional.of(parts[3])
        : Optional.empty();
  }
}
