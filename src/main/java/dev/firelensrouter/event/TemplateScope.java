package dev.firelensrouter.event;

/**
 * What a template may read besides the tag and the event: the ECS task's metadata ({@code
 * ecs.cluster}, {@code ecs.task_id}, {@code ecs.task_arn}, {@code ecs.family}, {@code
 * ecs.revision}, {@code ecs.az}) and a counter for {@code {{ index }}}.
 */
public interface TemplateScope {
  /** Nothing known: every name is {@code null}, the index is 0. */
  TemplateScope EMPTY = name -> null;

  /** The value of a scope name such as {@code ecs.cluster}, or {@code null} if unknown. */
  String value(String name);

  /** The value of {@code {{ index }}} (for example the sequence number of an object). */
  default long index() {
    return 0;
  }
}
