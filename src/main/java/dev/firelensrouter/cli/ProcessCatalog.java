package dev.firelensrouter.cli;

import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.aws.DefaultRegion;
import dev.firelensrouter.ecs.EcsMetadata;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sink.OutputType;
import dev.firelensrouter.sink.cloudwatch.CloudWatchLogsOutputType;
import dev.firelensrouter.sink.firehose.FirehoseOutputType;
import dev.firelensrouter.sink.local.LocalOutputTypes;
import dev.firelensrouter.sink.s3.S3OutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every output type this build ships, with what they share (the event loops and the AWS clients),
 * and the ECS scope. Closing it releases the shared clients and loops.
 */
final class ProcessCatalog implements AutoCloseable {
  private final NettyLoops loops;
  private final AwsClients aws;
  private final OutputCatalog catalog;
  private final TemplateScope ecsScope;

  private ProcessCatalog(NettyLoops loops, AwsClients aws, TemplateScope ecsScope) {
    this.loops = loops;
    this.aws = aws;
    this.catalog = new OutputCatalog(types(() -> aws));
    this.ecsScope = ecsScope;
  }

  static ProcessCatalog create(boolean sandbox) {
    NettyLoops loops = NettyLoops.createDefault();
    EcsMetadata ecs = EcsScope.load();
    Optional<String> region =
        DefaultRegion.fromEnvironment(System.getenv(), ecs.value("ecs.task_arn"));
    return new ProcessCatalog(loops, new AwsClients(loops, sandbox, region), ecs);
  }

  /** For {@code check}: the same types; no client is ever built. */
  static OutputCatalog forValidation() {
    return new OutputCatalog(
        types(
            () -> {
              throw new IllegalStateException("check builds no AWS client");
            }));
  }

  private static List<OutputType<?>> types(Supplier<AwsClients> aws) {
    List<OutputType<?>> types = new ArrayList<>(LocalOutputTypes.all());
    types.add(new CloudWatchLogsOutputType(target -> aws.get().cloudWatchLogs(target)));
    types.add(new FirehoseOutputType(target -> aws.get().firehose(target)));
    types.add(
        new S3OutputType(
            o ->
                aws.get()
                    .s3(
                        new AwsClients.Target(o.region(), o.endpoint(), o.roleArn()),
                        o.pathStyle())));
    return types;
  }

  NettyLoops loops() {
    return loops;
  }

  OutputCatalog catalog() {
    return catalog;
  }

  TemplateScope ecsScope() {
    return ecsScope;
  }

  @Override
  public void close() {
    aws.close();
    loops.close();
  }
}
