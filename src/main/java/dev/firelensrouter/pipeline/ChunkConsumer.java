package dev.firelensrouter.pipeline;

import dev.firelensrouter.event.ForwardChunk;

/** The ring's single consumer (the router). Every call comes from the one router thread. */
public interface ChunkConsumer {
  void onChunk(ForwardChunk chunk);

  /** The ring has no more chunks ready right now: the moment to close batches that lingered. */
  default void onEndOfBatch() {}

  /** No chunk arrived for a while; called about every {@code idleTick}. */
  default void onIdle() {}
}
