package dev.firelensrouter.sink.firehose;

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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;

/** {@code type: firehose}. */
public final class FirehoseOutputType implements OutputType<FirehoseConfig> {
  private static final List<String> OWN_KEYS =
      List.of(
          "delivery_stream",
          "region",
          "endpoint",
          "role_arn",
          "message",
          "newline",
          "oversize",
          "aggregate");

  private final Function<AwsClients.Target, FirehoseAsyncClient> clients;

  public FirehoseOutputType(Function<AwsClients.Target, FirehoseAsyncClient> clients) {
    this.clients = clients;
  }

  @Override
  public String type() {
    return "firehose";
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
  public Optional<FirehoseConfig> validate(OutputSpec spec, Problems problems) {
    MapNode o = spec.options();
    BatchingOptions.rejectUnknownKeys(o, keys(), spec.name(), problems);
    Optional<Template> stream =
        o.requiredString(
                "delivery_stream", "output '" + spec.name() + "' (type firehose)", problems)
            .flatMap(
                text -> {
                  try {
                    return Optional.of(Template.compile(text, ZoneOffset.UTC));
                  } catch (IllegalArgumentException e) {
                    problems.error(
                        o.locationOf("delivery_stream"),
                        "'delivery_stream' is not a valid template: " + e.getMessage());
                    return Optional.empty();
                  }
                });
    Optional<URI> endpoint = o.string("endpoint", problems).map(URI::create);
    FirehoseConfig c =
        new FirehoseConfig(
            stream.orElse(null),
            o.string("region", problems),
            endpoint,
            o.string("role_arn", problems),
            o.string("message", problems),
            o.bool("newline", true, problems),
            o.oneOf("oversize", List.of("dead_letter", "split"), problems)
                .orElse("dead_letter")
                .equals("split"),
            o.bool("aggregate", false, problems),
            BatchingOptions.read(o, problems));
    if (c.aggregate() && !c.newline()) {
      problems.error(
          o.locationOf("aggregate"),
          "'aggregate: true' needs 'newline: true': records sharing a Firehose record are told"
              + " apart by their newlines");
    }
    return stream.isPresent() ? Optional.of(c) : Optional.empty();
  }

  @Override
  public Destination create(FirehoseConfig config, DestinationContext context) {
    Optional<URI> endpoint = context.endpointOverride("firehose").or(config::endpoint);
    FirehoseAsyncClient client =
        clients.apply(new AwsClients.Target(config.region(), endpoint, config.roleArn()));
    FirehoseSender sender = new FirehoseSender(client, config.aggregate());
    return new BatchingDestination<>(
        context,
        new FirehoseRecords(config, context.scope(), sender.maxBatchBytes()),
        sender,
        config.batching(),
        context.requestCaps().forService("firehose"));
  }
}
