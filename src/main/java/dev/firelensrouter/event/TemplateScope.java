package dev.firelensrouter.event;

/** Values a template can name besides the event's own: the ECS task's, and an output's index. */
public interface TemplateScope {
  TemplateScope EMPTY = name -> null;

  /** {@code ecs.cluster}, {@code ecs.task_id}, ...; null when unknown. */
  String value(String name);

  /** {@code {{ index }}}: a counter the output keeps (S3 objects); 0 elsewhere. */
  default long index() {
    return 0;
  }
}
