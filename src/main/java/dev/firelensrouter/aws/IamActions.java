package dev.firelensrouter.aws;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The IAM actions the task role needs, per output type: every AWS API operation the output's code
 * calls (the SDK client's method name) with the action IAM checks for it. docs/ecs.md shows them as
 * policies; a test keeps this table, the SDK calls in each output's package and those policies in
 * step, so a new call cannot ship without its permission documented.
 */
public final class IamActions {
  private IamActions() {}

  /** Output type (as in {@code type:}) to SDK operation to IAM action. */
  public static final Map<String, Map<String, String>> BY_OUTPUT_TYPE =
      Map.of(
          "cloudwatch_logs",
          Map.of(
              "putLogEvents", "logs:PutLogEvents",
              "createLogStream", "logs:CreateLogStream",
              // auto_create_group (default true) and retention_days only
              "createLogGroup", "logs:CreateLogGroup",
              "putRetentionPolicy", "logs:PutRetentionPolicy"),
          "firehose",
          Map.of("putRecordBatch", "firehose:PutRecordBatch"),
          "s3",
          Map.of(
              "putObject", "s3:PutObject",
              // multipart uploads (objects above multipart_threshold) need only s3:PutObject...
              "createMultipartUpload", "s3:PutObject",
              "uploadPart", "s3:PutObject",
              "completeMultipartUpload", "s3:PutObject",
              // ...and this to clean up an upload that cannot be completed
              "abortMultipartUpload", "s3:AbortMultipartUpload"));

  /** What {@code role_arn} on any AWS output adds: the task role assumes that role. */
  public static final Map<String, String> ROLE_ARN = Map.of("assumeRole", "sts:AssumeRole");

  /** The distinct actions of one output type, sorted. */
  public static SortedSet<String> actions(String outputType) {
    return new TreeSet<>(BY_OUTPUT_TYPE.get(outputType).values());
  }
}
