package dev.firelensrouter.sink.local;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.OutputMetrics;
import java.time.Instant;

/** Discards every event at once and counts it delivered, like Fluent Bit's out_null. */
final class NullDestination implements Destination {
  private final String name;
  private final OutputMetrics metrics;

  NullDestination(String name, OutputMetrics metrics) {
    this.name = name;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void accept(String tag, Event event, ChunkTicket ticket) {
    metrics.receivedDelivered(1);
  }

  @Override
  public DrainReport drain(Instant deadline) {
    return DrainReport.clean(name, metrics.deliveredCount());
  }
}
