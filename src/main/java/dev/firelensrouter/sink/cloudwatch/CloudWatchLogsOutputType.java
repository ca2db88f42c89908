package dev.firelensrouter.sink.cloudwatch;

import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.config.MapNode;
import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.event.Template;
import dev.firelensrouter.sink.BatchingDestination;
import dev.firelensrouter.sink.BatchingOptions;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.OutputType;
import java.net.URI;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;

/** {@code type: cloudwatch_logs}. */
public final class CloudWatchLogsOutputType implements OutputType<CloudWatchLogsConfig> {
  private static final List<String> OWN_KEYS =
      List.of(
          "region",
          "endpoint",
          "role_arn",
          "log_group",
          "log_stream",
          "auto_create_group",
          "retention_days",
          "log_group_class",
          "message",
          "time_zone",
          "oversize",
          "out_of_range");

  private final Function<AwsClients.Target, CloudWatchLogsAsyncClient> clients;

  public CloudWatchLogsOutputType(Function<AwsClients.Target, CloudWatchLogsAsyncClient> clients) {
    this.clients = clients;
  }

  @Override
  public String type() {
    return "cloudwatch_logs";
  }

  @Override
  public boolean buffersInMemory() {
    return true;
  }

  @Override
  public List<String> keys() {
    return BatchingOptions.keysWith(OWN_KEYS);
  }

  @Override
  public Optional<CloudWatchLogsConfig> validate(OutputSpec spec, Problems problems) {
    MapNode o = spec.options();
    String where = "output '" + spec.name() + "' (type cloudwatch_logs)";
    BatchingOptions.rejectUnknownKeys(o, keys(), spec.name(), problems);
    ZoneId zone = ZoneOffset.UTC;
    Optional<String> tz = o.string("time_zone", problems);
    if (tz.isPresent()) {
      try {
        zone = ZoneId.of(tz.get());
      } catch (java.time.DateTimeException e) {
        problems.error(o.locationOf("time_zone"), "'time_zone' is not a time zone: " + tz.get());
      }
    }
    Optional<Template> group = template(o, "log_group", where, zone, problems);
    Optional<Template> stream = template(o, "log_stream", where, zone, problems);
    Optional<Long> retention = o.integer("retention_days", 1, 3653, problems);
    if (retention.isPresent() && !LogRetention.allowed(retention.get())) {
      problems.error(
          o.locationOf("retention_days"),
          "'retention_days' must be one of the periods CloudWatch Logs accepts ("
              + LogRetention.ALLOWED_DAYS.toString().replaceAll("[\\[\\]]", "")
              + "), not "
              + retention.get()
              + "; the nearest is "
              + LogRetention.nearest(retention.get()));
      retention = Optional.empty();
    }
    Optional<String> groupClass =
        o.oneOf("log_group_class", List.of("STANDARD", "INFREQUENT_ACCESS"), problems);
    BatchingOptions batching = BatchingOptions.read(o, problems);
    if (group.isEmpty() || stream.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CloudWatchLogsConfig(
            group.get(),
            stream.get(),
            o.string("region", problems),
            o.string("endpoint", problems).map(URI::create),
            o.string("role_arn", problems),
            o.string("message", problems),
            o.bool("auto_create_group", true, problems),
            retention.map(Long::intValue),
            groupClass,
            o.oneOf("oversize", List.of("truncate", "dead_letter"), problems)
                .orElse("truncate")
                .equals("dead_letter"),
            o.oneOf("out_of_range", List.of("dead_letter", "restamp"), problems)
                .orElse("dead_letter")
                .equals("restamp"),
            batching));
  }

  private static Optional<Template> template(
      MapNode o, String key, String where, ZoneId zone, Problems problems) {
    return o.requiredString(key, where, problems)
        .flatMap(
            text -> {
              try {
                return Optional.of(Template.compile(text, zone));
              } catch (IllegalArgumentException e) {
                problems.error(
                    o.locationOf(key), "'" + key + "' is not a valid template: " + e.getMessage());
                return Optional.empty();
              }
            });
  }

  @Override
  public Destination create(CloudWatchLogsConfig config, DestinationContext context) {
    Optional<URI> endpoint = context.endpointOverride("logs").or(config::endpoint);
    CloudWatchLogsAsyncClient client =
        clients.apply(new AwsClients.Target(config.region(), endpoint, config.roleArn()));
    return new BatchingDestination<>(
        context,
        new LogEvents(config, context.scope(), context.clock(), context.metrics()),
        new CloudWatchLogsSender(client, config),
        config.batching(),
        context.requestCaps().forService("logs"));
  }
}
