package dev.firelensrouter.ingest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts open connections and closes one that would pass {@code max_connections}. */
final class ConnectionGate extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);

  private final AtomicInteger open;
  private final int max;
  private final ForwardMetrics metrics;
  private boolean counted;

  ConnectionGate(AtomicInteger open, int max, ForwardMetrics metrics) {
    this.open = open;
    this.max = max;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      metrics.rejected("connection_limit");
      LOG.warn("{}: refused, {} connections already open", ctx.channel().remoteAddress(), max);
      ctx.close();
      return;
    }
    counted = true;
    metrics.connections.inc();
    ctx.pipeline().remove(this);
    ctx.channel().closeFuture().addListener(f -> release());
    ctx.fireChannelActive();
  }

  private void release() {
    if (counted) {
      counted = false;
      open.decrementAndGet();
      metrics.connections.dec();
    }
  }
}
