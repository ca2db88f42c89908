package dev.firelensrouter.ingest;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs HELO / PING / PONG before any request is read: HELO at connect, the first frame must be a
 * valid PING, PONG (one write) on success and the handler leaves the pipeline; on failure PONG
 * false with the reason, then close. Data before the handshake and no PING within the timeout are
 * refused the same way.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);

  private final SharedKeyHandshake handshake;
  private final NonceSource nonces;
  private final Duration timeout;
  private final ForwardMetrics metrics;
  private byte[] nonce;
  private byte[] auth;
  private ScheduledFuture<?> deadline;
  private boolean failed;

  HandshakeHandler(
      SharedKeyHandshake handshake, NonceSource nonces, Duration timeout, ForwardMetrics metrics) {
    this.handshake = handshake;
    this.nonces = nonces;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    nonce = nonces.next();
    auth = handshake.requiresUserAuth() ? nonces.next() : new byte[0];
    ctx.writeAndFlush(Unpooled.wrappedBuffer(SharedKeyHandshake.helo(nonce, auth)));
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  failed = true;
                  metrics.rejected("handshake_timeout");
                  String reason = "handshake timeout: no PING within " + timeout.toMillis() + " ms";
                  LOG.warn("{}: {}; closing", ctx.channel().remoteAddress(), reason);
                  ctx.writeAndFlush(Unpooled.wrappedBuffer(SharedKeyHandshake.refusal(reason)))
                      .addListener(ChannelFutureListener.CLOSE);
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof byte[] frame)) {
      ctx.fireChannelRead(msg); // a FrameRejected: the request handler counts it and closes
      return;
    }
    SharedKeyHandshake.Outcome outcome = handshake.check(frame, nonce, auth);
    deadline.cancel(false);
    if (outcome.accepted()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(outcome.pong()));
      ctx.pipeline().remove(this);
      return;
    }
    failed = true;
    metrics.rejected(
        outcome.reason().equals("invalid ping message") ? "before_handshake" : "handshake_failed");
    LOG.warn("{}: handshake refused: {}", ctx.channel().remoteAddress(), outcome.reason());
    ctx.writeAndFlush(Unpooled.wrappedBuffer(outcome.pong()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
