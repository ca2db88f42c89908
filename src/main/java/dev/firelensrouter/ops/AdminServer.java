package dev.firelensrouter.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.config.HostPort;
import dev.firelensrouter.pipeline.NettyLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server: {@code GET /health}, {@code /ready}, {@code /metrics}, {@code /routes} and
 * {@code POST /reload}. Health is answered on the event loop itself, so a 200 proves the loops
 * respond; a reload runs on its own thread so it never blocks a loop.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HostPort address;
  private final NettyLoops loops;
  private final AdminEndpoints endpoints;
  private final Executor reloads =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "reload");
            t.setDaemon(true);
            return t;
          });
  private Channel channel;

  public AdminServer(HostPort address, NettyLoops loops, AdminEndpoints endpoints) {
    this.address = address;
    this.loops = loops;
    this.endpoints = endpoints;
  }

  public InetSocketAddress start() throws InterruptedException {
    channel =
        new ServerBootstrap()
            .group(loops.acceptor(), loops.io())
            .channel(loops.serverChannel())
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(new Handler());
                  }
                })
            .bind(address.host(), address.port())
            .sync()
            .channel();
    InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
    LOG.info("admin server listening on {}", new HostPort(address.host(), bound.getPort()));
    return bound;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      String path = new QueryStringDecoder(req.uri()).path();
      boolean get = req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
      switch (path) {
        case "/health" ->
            reply(ctx, req, get ? HttpResponseStatus.OK : notAllowed(), "text/plain", "ok\n");
        case "/ready" -> {
          boolean ready = endpoints.ready();
          reply(
              ctx,
              req,
              !get
                  ? notAllowed()
                  : ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
              "text/plain",
              ready ? "ready\n" : "not ready\n");
        }
        case "/metrics" ->
            reply(
                ctx,
                req,
                get ? HttpResponseStatus.OK : notAllowed(),
                "text/plain; version=0.0.4; charset=utf-8",
                get ? endpoints.metrics() : "");
        case "/routes" ->
            reply(
                ctx,
                req,
                get ? HttpResponseStatus.OK : notAllowed(),
                "application/json",
                get ? endpoints.routes() : "");
        case "/reload" -> {
          if (!req.method().equals(HttpMethod.POST)) {
            reply(ctx, req, notAllowed(), "text/plain", "use POST\n");
            return;
          }
          boolean keepAlive = HttpUtil.isKeepAlive(req);
          reloads.execute(
              () -> {
                AdminEndpoints.ReloadResult result = endpoints.reload();
                String body;
                try {
                  body =
                      JSON.writeValueAsString(
                              Map.of("applied", result.applied(), "problems", result.problems()))
                          + "\n";
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                  body = "{\"applied\":" + result.applied() + "}\n";
                }
                HttpResponseStatus status =
                    result.applied()
                        ? HttpResponseStatus.OK
                        : HttpResponseStatus.UNPROCESSABLE_ENTITY;
                String finalBody = body;
                ctx.executor()
                    .execute(() -> write(ctx, keepAlive, status, "application/json", finalBody));
              });
        }
        default -> reply(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("admin connection failed", cause);
      ctx.close();
    }
  }

  private static HttpResponseStatus notAllowed() {
    return HttpResponseStatus.METHOD_NOT_ALLOWED;
  }

  private static void reply(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      HttpResponseStatus status,
      String type,
      String body) {
    write(
        ctx,
        HttpUtil.isKeepAlive(req),
        status,
        type,
        req.method().equals(HttpMethod.HEAD) ? "" : body);
  }

  private static void write(
      ChannelHandlerContext ctx,
      boolean keepAlive,
      HttpResponseStatus status,
      String type,
      String body) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(res, res.content().readableBytes());
    HttpUtil.setKeepAlive(res, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
