package dev.firelensrouter.cli;

import dev.firelensrouter.ecs.EcsMetadata;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ops.OutputCatalog;
import dev.firelensrouter.sink.OutputType;
import dev.firelensrouter.sink.local.LocalOutputTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * Every output type this build ships, with what they share (the AWS clients), and the ECS scope.
 * Closing it releases the shared clients.
 */
final class ProcessCatalog implements AutoCloseable {
  private final OutputCatalog catalog;
  private final TemplateScope ecsScope;

  private ProcessCatalog(OutputCatalog catalog, TemplateScope ecsScope) {
    this.catalog = catalog;
    this.ecsScope = ecsScope;
  }

  static ProcessCatalog create() {
    EcsMetadata ecs = EcsScope.load();
    return new ProcessCatalog(new OutputCatalog(types()), ecs);
  }

  /** For {@code check}: the same types, nothing started. */
  static OutputCatalog forValidation() {
    return new OutputCatalog(types());
  }

  private static List<OutputType<?>> types() {
    List<OutputType<?>> types = new ArrayList<>(LocalOutputTypes.all());
    return types;
  }

  OutputCatalog catalog() {
    return catalog;
  }

  TemplateScope ecsScope() {
    return ecsScope;
  }

  @Override
  public void close() {}
}
