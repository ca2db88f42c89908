package dev.firelensrouter.ingest;

import dev.firelensrouter.config.ForwardInputConfig.AckMode;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkRing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * One connection's pipeline (frame scanner, optional handshake, request handler, ack-on-receipt) on
 * an EmbeddedChannel, feeding a real ring whose consumer collects the chunks.
 */
final class ForwardPipeline {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final ForwardMetrics metrics = new ForwardMetrics(registry);
  final EmbeddedChannel channel;
  private final BlockingQueue<ForwardChunk> chunks;
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();

  ForwardPipeline(ChunkRing ring, BlockingQueue<ForwardChunk> chunks, long maxFrame) {
    this(ring, chunks, maxFrame, null);
  }

  ForwardPipeline(
      ChunkRing ring,
      BlockingQueue<ForwardChunk> chunks,
      long maxFrame,
      Function<ForwardMetrics, ChannelHandler> handshakeFactory) {
    this.chunks = chunks;
    this.channel = new EmbeddedChannel();
    channel.pipeline().addLast(new ForwardFrameDecoder(maxFrame));
    if (handshakeFactory != null) {
      channel.pipeline().addLast(handshakeFactory.apply(metrics));
    }
    channel
        .pipeline()
        .addLast(new ForwardRequestHandler(ring, metrics, AckMode.RECEIVED, maxFrame));
    channel.pipeline().fireChannelActive();
  }

  ForwardPipeline write(byte[]... pieces) {
    for (byte[] piece : pieces) {
      if (!channel.isOpen()) {
        break;
      }
      channel.writeInbound(Unpooled.wrappedBuffer(piece));
    }
    return this;
  }

  /** Bytes the server wrote back so far. */
  byte[] output() {
    channel.runPendingTasks();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      written.writeBytes(bytes);
    }
    return written.toByteArray();
  }

  double received() {
    return ForwardTestSupport.counter(registry, "firelens_router_records_received", null, null);
  }

  double rejected(String reason) {
    return ForwardTestSupport.counter(
        registry, "firelens_router_forward_rejected_frames", "reason", reason);
  }

  /** Every event published by this pipeline (waits for the router thread to hand them over). */
  List<Event> events() {
    long expected = (long) received();
    List<Event> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    ForwardTestSupport.awaitTrue(
        expected + " events",
        () -> {
          ForwardChunk c;
          while ((c = chunks.poll()) != null) {
            out.addAll(c.events());
            seen.add(c.tag());
          }
          return out.size() >= expected;
        });
    return out;
  }

  boolean open() {
    return channel.isOpen();
  }
}
