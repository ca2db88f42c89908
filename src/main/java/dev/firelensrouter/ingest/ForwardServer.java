package dev.firelensrouter.ingest;

import dev.firelensrouter.config.ForwardInputConfig;
import dev.firelensrouter.config.HostPort;
import dev.firelensrouter.pipeline.ChunkRing;
import dev.firelensrouter.pipeline.NettyLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Forward input: TCP (optionally TLS) and/or Unix-socket listeners, plus Fluentd's UDP
 * heartbeat. Each connection gets: connection limit, TLS, frame scanner, handshake (with a shared
 * key), request handler.
 */
public final class ForwardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ForwardServer.class);

  private final ForwardInputConfig config;
  private final ChunkRing ring;
  private final NettyLoops loops;
  private final ForwardMetrics metrics;
  private final NonceSource nonces;
  private final AtomicInteger open = new AtomicInteger();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final List<Channel> listeners = new ArrayList<>();
  private InetSocketAddress tcpAddress;

  public ForwardServer(
      ForwardInputConfig config, ChunkRing ring, NettyLoops loops, PrometheusRegistry registry) {
    this(config, ring, loops, registry, NonceSource.secureRandom());
  }

  /** With a chosen nonce source (tests replay recorded handshakes). */
  public ForwardServer(
      ForwardInputConfig config,
      ChunkRing ring,
      NettyLoops loops,
      PrometheusRegistry registry,
      NonceSource nonces) {
    this.config = config;
    this.ring = ring;
    this.loops = loops;
    this.metrics = new ForwardMetrics(registry);
    this.nonces = nonces;
  }

  public void start() throws Exception {
    SslContext ssl = null;
    if (config.tls().isPresent()) {
      ForwardInputConfig.Tls tls = config.tls().get();
      ssl = SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile()).build();
    }
    SharedKeyHandshake handshake =
        config.sharedKey().isEmpty()
            ? null
            : new SharedKeyHandshake(config.sharedKey(), config.selfHostname(), config.users());
    if (config.tcp().isPresent()) {
      HostPort hp = config.tcp().get();
      Channel ch =
          serverBootstrap(ssl, handshake)
              .channel(loops.serverChannel())
              .bind(hp.host(), hp.port())
              .sync()
              .channel();
      listeners.add(ch);
      tcpAddress = (InetSocketAddress) ch.localAddress();
      LOG.info("forward input listening on tcp {}", tcpAddress);
      if (config.udpHeartbeat()) {
        listeners.add(udpHeartbeat(tcpAddress));
      }
    }
    if (config.unix().isPresent()) {
      Path path = config.unix().get();
      Files.deleteIfExists(path); // a stale socket file from a previous run
      Channel ch =
          serverBootstrap(null, handshake)
              .channel(loops.domainServerChannel())
              .bind(new DomainSocketAddress(path.toFile()))
              .sync()
              .channel();
      listeners.add(ch);
      LOG.info("forward input listening on unix {}", path);
    }
  }

  private ServerBootstrap serverBootstrap(SslContext ssl, SharedKeyHandshake handshake) {
    return new ServerBootstrap()
        .group(loops.acceptor(), loops.io())
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                connections.add(ch);
                ChannelPipeline p = ch.pipeline();
                p.addLast(new ConnectionGate(open, config.maxConnections(), metrics));
                if (ssl != null) {
                  p.addLast(ssl.newHandler(ch.alloc()));
                }
                p.addLast(new ForwardFrameDecoder(config.maxFrame()));
                if (handshake != null) {
                  p.addLast(
                      new HandshakeHandler(handshake, nonces, config.handshakeTimeout(), metrics));
                }
                p.addLast(
                    new ForwardRequestHandler(ring, metrics, config.ack(), config.maxFrame()));
              }
            });
  }

  private Channel udpHeartbeat(InetSocketAddress on) throws InterruptedException {
    Bootstrap b =
        new Bootstrap()
            .group(loops.io())
            .channel(loops.isNative() ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new UdpHeartbeatHandler(metrics));
    return b.bind(on).sync().channel();
  }

  /** The bound TCP address (the real port when configured with port 0). */
  public Optional<InetSocketAddress> tcpAddress() {
    return Optional.ofNullable(tcpAddress);
  }

  /** Closes the listeners; open connections keep being read (drain on SIGTERM). */
  public void stopAccepting() {
    for (Channel ch : listeners) {
      ch.close().syncUninterruptibly();
    }
    listeners.clear();
    config.unix().ifPresent(this::deleteQuietly);
  }

  public int openConnections() {
    return open.get();
  }

  @Override
  public void close() {
    stopAccepting();
    connections.close().syncUninterruptibly();
  }

  private void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (java.io.IOException e) {
      LOG.debug("could not remove {}: {}", path, e.toString());
    }
  }
}
