package dev.firelensrouter.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.firelensrouter.event.ForwardChunk;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off from the Netty event loops to the router thread: a Disruptor ring with one slot per
 * chunk. Producers never block: {@link #tryPublish} fails when the ring is full, and the caller
 * parks its connection with {@link #awaitSpace} until the consumer frees a slot.
 */
public final class ChunkRing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkRing.class);

  private static final class Slot {
    ForwardChunk chunk;
  }

  private final Disruptor<Slot> disruptor;
  private final RingBuffer<Slot> ring;
  private final Queue<Runnable> spaceWaiters = new ConcurrentLinkedQueue<>();
  private volatile boolean started;

  /**
   * @param size slots, a power of two
   * @param idleTick how often {@link ChunkConsumer#onIdle} runs when nothing arrives
   */
  public ChunkRing(int size, Duration idleTick, ChunkConsumer consumer) {
    this.disruptor =
        new Disruptor<>(
            Slot::new,
            size,
            runnable -> {
              Thread t = new Thread(runnable, "router");
              t.setDaemon(true);
              return t;
            },
            ProducerType.MULTI,
            new TimeoutBlockingWaitStrategy(idleTick.toNanos(), TimeUnit.NANOSECONDS));
    this.disruptor.handleEventsWith(new Handler(consumer));
    this.disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler());
    this.ring = disruptor.getRingBuffer();
  }

  public void start() {
    disruptor.start();
    started = true;
  }

  /** Puts the chunk in the ring, or returns false at once when the ring is full. */
  public boolean tryPublish(ForwardChunk chunk) {
    long seq;
    try {
      seq = ring.tryNext();
    } catch (InsufficientCapacityException full) {
      return false;
    }
    ring.get(seq).chunk = chunk;
    ring.publish(seq);
    return true;
  }

  /**
   * Runs {@code onSpace} once, on the router thread, after a slot frees (or at once on this thread
   * if one already has). The callback should only schedule the retry on its own loop.
   */
  public void awaitSpace(Runnable onSpace) {
    spaceWaiters.add(onSpace);
    // The consumer may have freed the last slot between our failed tryPublish and the add above.
    if (ring.remainingCapacity() > 0) {
      wakeWaiters();
    }
  }

  public long remainingCapacity() {
    return ring.remainingCapacity();
  }

  public int size() {
    return ring.getBufferSize();
  }

  /** Chunks published but not yet consumed. */
  public long backlog() {
    return ring.getBufferSize() - ring.remainingCapacity();
  }

  private void wakeWaiters() {
    Runnable waiter;
    while ((waiter = spaceWaiters.poll()) != null) {
      try {
        waiter.run();
      } catch (RuntimeException e) {
        LOG.error("ring space callback failed", e);
      }
    }
  }

  /**
   * Waits until every published chunk was consumed, then stops the router thread. Returns false if
   * the ring did not empty in time.
   */
  public boolean drain(Duration timeout) {
    if (!started) {
      return true;
    }
    try {
      disruptor.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (com.lmax.disruptor.TimeoutException e) {
      disruptor.halt();
      return false;
    }
  }

  @Override
  public void close() {
    if (started) {
      disruptor.halt();
    }
  }

  private final class Handler implements EventHandler<Slot> {
    private final ChunkConsumer consumer;

    Handler(ChunkConsumer consumer) {
      this.consumer = consumer;
    }

    @Override
    public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
      ForwardChunk chunk = slot.chunk;
      slot.chunk = null;
      try {
        consumer.onChunk(chunk);
      } finally {
        if (endOfBatch) {
          consumer.onEndOfBatch();
        }
        // The slot is free once this handler returns; the waiters retry from their own loops.
        if (!spaceWaiters.isEmpty()) {
          wakeWaiters();
        }
      }
    }

    @Override
    public void onTimeout(long sequence) {
      consumer.onIdle();
      if (!spaceWaiters.isEmpty()) {
        wakeWaiters();
      }
    }
  }

  private static final class LoggingExceptionHandler
      implements com.lmax.disruptor.ExceptionHandler<Slot> {
    @Override
    public void handleEventException(Throwable ex, long sequence, Slot slot) {
      // A bug in routing must not stop the ring: log it and go on with the next chunk.
      LOG.error("router failed on a chunk (sequence {}); continuing", sequence, ex);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
      LOG.error("router failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
      LOG.error("router failed to stop", ex);
    }
  }
}
