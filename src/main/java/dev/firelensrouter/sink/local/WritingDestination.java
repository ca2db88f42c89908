package dev.firelensrouter.sink.local;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationContext;
import dev.firelensrouter.sink.DestinationHealth;
import dev.firelensrouter.sink.DestinationState;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.OutputMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events as JSON lines on the router thread. An event counts as delivered, and its ticket is
 * released, once the batch it came in is flushed to the operating system at the end of a ring
 * batch. A write error turns the output failing (logged as DestinationHealth logs every change) and
 * the events are dead-lettered.
 */
abstract class WritingDestination implements Destination {
  private final DestinationContext context;
  private final OutputMetrics metrics;
  private final LineFormat format;
  private final List<ChunkTicket> unflushed = new ArrayList<>();
  private final DestinationHealth health;
  private boolean closed;

  /** When the oldest event not yet flushed arrived: what the latency histogram measures from. */
  private long firstUnflushedNanos;

  WritingDestination(DestinationContext context, LineFormat format) {
    this.context = context;
    this.metrics = context.metrics();
    this.format = format;
    this.health = new DestinationHealth(context.name());
  }

  @Override
  public String name() {
    return context.name();
  }

  /** The stream this event goes to. */
  protected abstract OutputStream streamFor(String tag, Event event) throws IOException;

  /** Flushes every stream written since the last flush. */
  protected abstract void flushStreams() throws IOException;

  protected abstract void closeStreams() throws IOException;

  @Override
  public void accept(String tag, Event event, ChunkTicket ticket) {
    if (closed) {
      metrics.receivedDropped("shutdown", 1);
      return;
    }
    try {
      format.write(tag, event, streamFor(tag, event));
      if (unflushed.isEmpty()) {
        firstUnflushedNanos = System.nanoTime();
      }
      ticket.retain();
      unflushed.add(ticket);
      metrics.receivedBuffered(1);
    } catch (IOException | RuntimeException e) {
      fail(e);
      context.deadLetters().write(tag, event, "write_failed");
      metrics.receivedDeadLettered("write_failed", 1);
    }
  }

  @Override
  public void onEndOfBatch() {
    if (unflushed.isEmpty()) {
      return;
    }
    try {
      flushStreams();
      health.ok(System.nanoTime());
    } catch (IOException e) {
      // The bytes may or may not have reached the file; say so, but the events stay counted once.
      fail(e);
    }
    int n = unflushed.size();
    metrics.bufferedDelivered(n);
    metrics.latencySeconds((System.nanoTime() - firstUnflushedNanos) / 1e9);
    for (ChunkTicket t : unflushed) {
      t.release();
    }
    unflushed.clear();
  }

  private void fail(Exception e) {
    health.failing(System.nanoTime(), "cannot write: " + e);
  }

  @Override
  public DrainReport drain(Instant deadline) {
    onEndOfBatch();
    closed = true;
    try {
      closeStreams();
    } catch (IOException e) {
      fail(e);
    }
    return DrainReport.clean(name(), metrics.deliveredCount());
  }

  @Override
  public DestinationState state() {
    return health.state();
  }
}
