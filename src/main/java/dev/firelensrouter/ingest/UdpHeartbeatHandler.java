package dev.firelensrouter.ingest;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** Fluentd's UDP heartbeat: any datagram to the Forward port is answered with one {@code 0x00}. */
@ChannelHandler.Sharable
final class UdpHeartbeatHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final ForwardMetrics metrics;

  UdpHeartbeatHandler(ForwardMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    metrics.frame(ForwardMode.HEARTBEAT);
    ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {0}), packet.sender()));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A failed reply (e.g. ICMP unreachable) is the sender's problem; keep listening.
  }
}
