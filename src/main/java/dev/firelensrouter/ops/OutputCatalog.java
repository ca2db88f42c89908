package dev.firelensrouter.ops;

import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.OutputType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The output types this build knows, by {@code type:} name. */
public final class OutputCatalog {
  private final Map<String, OutputType<?>> types = new LinkedHashMap<>();

  public OutputCatalog(List<OutputType<?>> types) {
    types.forEach(t -> this.types.put(t.type(), t));
  }

  public Map<String, OutputType<?>> types() {
    return Map.copyOf(types);
  }

  /** An output whose options passed validation, ready to be built. */
  public record Validated(OutputSpec spec, Function<DestinationContext, Destination> factory) {}

  /** Checks every output; the valid ones come back in config order. */
  public List<Validated> validate(List<OutputSpec> outputs, Problems problems) {
    List<Validated> valid = new ArrayList<>();
    for (OutputSpec spec : outputs) {
      OutputType<?> type = types.get(spec.type());
      if (type == null) {
        problems.error(
            spec.options().get("type").map(n -> n.location()).orElse(spec.location()),
            "output '"
                + spec.name()
                + "' has unknown type '"
                + spec.type()
                + "'; known types: "
                + String.join(", ", types.keySet()));
        continue;
      }
      validateOne(type, spec, problems).ifPresent(valid::add);
    }
    return valid;
  }

  private static <C> Optional<Validated> validateOne(
      OutputType<C> type, OutputSpec spec, Problems problems) {
    return type.validate(spec, problems)
        .map(config -> new Validated(spec, ctx -> type.create(config, ctx)));
  }
}
