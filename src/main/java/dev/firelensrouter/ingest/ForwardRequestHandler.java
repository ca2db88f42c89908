package dev.firelensrouter.ingest;

import dev.firelensrouter.config.ForwardInputConfig.AckMode;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.AckOrder;
import dev.firelensrouter.pipeline.ChunkRing;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: decodes each frame, publishes its chunk into the ring, and writes acks
 * in request order. A full ring parks the chunk and stops reading until space frees; nothing
 * decoded is ever dropped for backpressure and the connection is never closed for it.
 */
final class ForwardRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ForwardRequestHandler.class);

  private final ChunkRing ring;
  private final ForwardMetrics metrics;
  private final AckMode ackMode;
  private final RequestDecoder decoder;
  private final ArrayDeque<Object> backlog = new ArrayDeque<>();
  private AckOrder acks;
  private Channel channel;
  private ForwardChunk parked;
  private AckOrder.Pending parkedAck;
  private boolean logged;
  private boolean closing;

  ForwardRequestHandler(ChunkRing ring, ForwardMetrics metrics, AckMode ackMode, long maxFrame) {
    this.ring = ring;
    this.metrics = metrics;
    this.ackMode = ackMode;
    this.decoder = new RequestDecoder(RequestDecoder.decompressedLimit(maxFrame));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    // Completions come from any thread; the write is posted to the loop so acks keep their order.
    acks = new AckOrder(this::writeAck);
  }

  /** Completions come from any thread; posting to the loop keeps acks in their order. */
  private void writeAck(byte[] ack) {
    try {
      channel.eventLoop().execute(() -> channel.writeAndFlush(Unpooled.wrappedBuffer(ack)));
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // The loops are stopping and the connection with them: the client will resend.
      LOG.debug("ack not written, event loop stopped");
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      return;
    }
    if (parked != null || !backlog.isEmpty()) {
      backlog.add(msg);
      return;
    }
    handle(ctx, msg);
  }

  private void handle(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FrameRejected r) {
      reject(ctx, r.reason(), r.detail(), true);
      return;
    }
    DecodedRequest request = decoder.decode((byte[]) msg);
    if (request instanceof DecodedRequest.Events e) {
      accept(ctx, e);
    } else if (request instanceof DecodedRequest.Signal s) {
      metrics.frame(s.mode());
      metrics.signalsDropped.labelValues(Integer.toString(s.signal())).inc();
      ackNow(s.ack());
    } else if (request instanceof DecodedRequest.Invalid inv) {
      reject(ctx, inv.reason(), inv.detail(), inv.close());
    } else {
      metrics.frame(ForwardMode.HEARTBEAT);
    }
  }

  private void accept(ChannelHandlerContext ctx, DecodedRequest.Events e) {
    metrics.frame(e.mode());
    if (e.invalidEvents() > 0) {
      metrics.invalidEvents.inc(e.invalidEvents());
      logOnce(ctx, "skipped " + e.invalidEvents() + " invalid event(s) in a request");
    }
    if (e.groupMarkers() > 0) {
      metrics.groupMarkers.inc(e.groupMarkers());
    }
    if (e.events().isEmpty()) {
      ackNow(e.ack());
      return;
    }
    AckOrder.Pending pending = e.ack() == null ? null : acks.expect(e.ack());
    ChunkTicket ticket =
        pending != null && ackMode == AckMode.DELIVERED
            ? new ChunkTicket(pending)
            : ChunkTicket.untracked();
    ForwardChunk chunk = new ForwardChunk(e.tag(), e.events(), ticket);
    if (!publish(chunk, pending)) {
      parked = chunk;
      parkedAck = pending;
      channel.config().setAutoRead(false);
      ring.awaitSpace(() -> channel.eventLoop().execute(() -> retry(ctx)));
    }
  }

  private boolean publish(ForwardChunk chunk, AckOrder.Pending pending) {
    if (!ring.tryPublish(chunk)) {
      return false;
    }
    metrics.recordsReceived.inc(chunk.events().size());
    if (pending != null && ackMode == AckMode.RECEIVED) {
      pending.run();
    }
    return true;
  }

  private void retry(ChannelHandlerContext ctx) {
    if (parked == null) {
      return;
    }
    if (!publish(parked, parkedAck)) {
      ring.awaitSpace(() -> channel.eventLoop().execute(() -> retry(ctx)));
      return;
    }
    parked = null;
    parkedAck = null;
    while (parked == null && !backlog.isEmpty() && !closing) {
      handle(ctx, backlog.poll());
    }
    if (parked == null && !closing) {
      channel.config().setAutoRead(true);
    }
  }

  private void ackNow(byte[] ack) {
    if (ack != null) {
      acks.expect(ack).run();
    }
  }

  private void reject(ChannelHandlerContext ctx, String reason, String detail, boolean close) {
    metrics.rejected(reason);
    logOnce(ctx, "refused a request (" + reason + "): " + detail + (close ? "; closing" : ""));
    if (close) {
      closing = true;
      backlog.clear();
      ctx.close();
    }
  }

  private void logOnce(ChannelHandlerContext ctx, String message) {
    if (!logged) {
      logged = true;
      LOG.warn("{}: {}", ctx.channel().remoteAddress(), message);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else if (cause.getCause() instanceof javax.net.ssl.SSLException) {
      metrics.rejected("tls_error");
      logOnce(ctx, "TLS failed: " + cause.getCause().getMessage());
    } else {
      metrics.rejected("internal_error");
      logOnce(ctx, "closing after an error: " + cause);
    }
    closing = true;
    ctx.close();
  }
}
