package dev.firelensrouter.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one set of Netty event loops the process runs: an acceptor and a few I/O loops, shared by the
 * Forward listener, the admin server and the AWS SDK's HTTP client. Native epoll where it loads
 * (needed for the Unix socket), NIO elsewhere.
 */
public final class NettyLoops implements AutoCloseable {
  private final EventLoopGroup acceptor;
  private final EventLoopGroup io;
  private final boolean epoll;

  private NettyLoops(EventLoopGroup acceptor, EventLoopGroup io, boolean epoll) {
    this.acceptor = acceptor;
    this.io = io;
    this.epoll = epoll;
  }

  /** {@code ioThreads} I/O loops; the architecture asks for {@code min(2, cores)}. */
  public static NettyLoops create(int ioThreads) {
    if (Epoll.isAvailable()) {
      return new NettyLoops(
          new EpollEventLoopGroup(1, new DefaultThreadFactory("accept", true)),
          new EpollEventLoopGroup(ioThreads, new DefaultThreadFactory("io", true)),
          true);
    }
    return new NettyLoops(
        new NioEventLoopGroup(1, new DefaultThreadFactory("accept", true)),
        new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("io", true)),
        false);
  }

  public static NettyLoops createDefault() {
    return create(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
  }

  public EventLoopGroup acceptor() {
    return acceptor;
  }

  public EventLoopGroup io() {
    return io;
  }

  /** Whether the native transport is in use (Unix sockets need it). */
  public boolean isNative() {
    return epoll;
  }

  public Class<? extends ServerChannel> serverChannel() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends ServerChannel> domainServerChannel() {
    if (!epoll) {
      throw new IllegalStateException(
          "Unix sockets need Netty's native epoll transport, which did not load: "
              + Epoll.unavailabilityCause());
    }
    return EpollServerDomainSocketChannel.class;
  }

  public Class<? extends Channel> clientChannel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  @Override
  public void close() {
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
