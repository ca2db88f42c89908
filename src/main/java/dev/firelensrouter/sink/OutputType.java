package dev.firelensrouter.sink;

import dev.firelensrouter.config.OutputSpec;
import dev.firelensrouter.config.Problems;
import java.util.List;
import java.util.Optional;

/**
 * One kind of output ({@code type:} in the config): validates its options with file:line:col and
 * builds destinations. The wiring creates one instance per type with what it needs (for the AWS
 * types, the shared SDK clients).
 *
 * @param <C> the validated, immutable options of this type
 */
public interface OutputType<C> {
  /** The {@code type:} value, e.g. {@code cloudwatch_logs}. */
  String type();

  /** Every option key this type accepts besides {@code type} (the schema test checks them). */
  List<String> keys();

  /** Reads and checks {@code spec.options()}; every problem goes to {@code problems}. */
  Optional<C> validate(OutputSpec spec, Problems problems);

  Destination create(C config, DestinationContext context);

  /**
   * Whether this type's destinations hold records in memory, so that they get a share of {@code
   * service.memory_budget} (the others get none).
   */
  default boolean buffersInMemory() {
    return false;
  }
}
