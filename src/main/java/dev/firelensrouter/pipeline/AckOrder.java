package dev.firelensrouter.pipeline;

import java.util.ArrayDeque;

/**
 * Keeps one connection's acks in request order. Each request that asked for an ack takes a {@link
 * Pending} in arrival order; completions may come in any order from any thread, and an ack is
 * written only when every earlier one has been.
 */
public final class AckOrder {
  /** Writes one ack payload to the connection. Called in request order, under this order's lock. */
  @FunctionalInterface
  public interface AckWriter {
    void write(byte[] ack);
  }

  /** One request's place in the line. */
  public final class Pending implements Runnable {
    private final byte[] ack;
    private boolean done;

    private Pending(byte[] ack) {
      this.ack = ack;
    }

    /** Marks this request complete and writes every ack that is now due. */
    @Override
    public void run() {
      synchronized (AckOrder.this) {
        done = true;
        Pending head;
        while ((head = line.peekFirst()) != null && head.done) {
          line.pollFirst();
          writer.write(head.ack);
        }
      }
    }
  }

  private final ArrayDeque<Pending> line = new ArrayDeque<>();
  private final AckWriter writer;

  public AckOrder(AckWriter writer) {
    this.writer = writer;
  }

  /** Takes a place for a request whose ack payload (the whole encoded reply) is {@code ack}. */
  public synchronized Pending expect(byte[] ack) {
    Pending p = new Pending(ack);
    line.addLast(p);
    return p;
  }

  /** Requests still waiting for their ack. */
  public synchronized int waiting() {
    return line.size();
  }
}
