package dev.firelensrouter.ops;

import dev.firelensrouter.config.ConfigException;
import dev.firelensrouter.config.ConfigLoader;
import dev.firelensrouter.config.Problems;
import dev.firelensrouter.config.RouterConfig;
import dev.firelensrouter.event.TemplateScope;
import dev.firelensrouter.ingest.ForwardServer;
import dev.firelensrouter.pipeline.ChunkRing;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.route.RouteTable;
import dev.firelensrouter.route.Router;
import dev.firelensrouter.sink.DeliveryMetrics;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.RequestRateCaps;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running router: the parts of ARCHITECTURE.md wired from a config, in the order data flows
 * backwards (destinations first, listener last) so that nothing is accepted before it has somewhere
 * to go. {@link #shutdown} drains in the opposite order.
 */
public final class RouterRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouterRuntime.class);

  /**
   * How to run: the config file, where the sandbox emulators are (if any), the environment.
   *
   * @param loops the process's event loops when the caller made them (to share with the AWS
   *     clients); null: the runtime makes and closes its own
   */
  public record Options(
      Path configFile,
      Map<String, URI> endpointOverrides,
      Map<String, String> environment,
      Clock clock,
      NettyLoops loops) {
    public Options(
        Path configFile,
        Map<String, URI> endpointOverrides,
        Map<String, String> environment,
        Clock clock) {
      this(configFile, endpointOverrides, environment, clock, null);
    }
  }

  private final Options options;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final NettyLoops loops;
  private final ScheduledExecutorService scheduler;
  private final java.util.concurrent.ExecutorService requests;
  private final DeliveryMetrics deliveryMetrics;
  private final RouterConfig config;
  private final Outputs outputs;
  private final Router router;
  private final ChunkRing ring;
  private final ForwardServer forward;
  private final AdminServer admin;
  private final Reloader reloader;
  private volatile boolean draining;
  private InetSocketAddress adminAddress;
  private volatile java.time.Instant hurriedAt;

  private RouterRuntime(
      Options options,
      RouterConfig config,
      OutputCatalog catalog,
      TemplateScope ecsScope,
      NettyLoops loops)
      throws ConfigException {
    this.options = options;
    this.config = config;
    this.loops = loops;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("scheduler"));
    this.requests = Executors.newSingleThreadExecutor(daemon("requests"));
    ProcessMetrics.register(registry);
    this.deliveryMetrics = new DeliveryMetrics(registry);
    long budget =
        MemoryBudget.resolve(
            config.service().memoryBudget(),
            Path.of("/sys/fs/cgroup"),
            Runtime.getRuntime().maxMemory());
    io.prometheus.metrics.core.metrics.Gauge.builder()
        .name("firelens_router_memory_budget_bytes")
        .help("service.memory_budget: bytes all outputs may buffer together")
        .register(registry)
        .set(budget);
    this.outputs =
        new Outputs(
            catalog,
            deliveryMetrics,
            budget,
            config.service().dataDir(),
            options.clock(),
            scheduler,
            ecsScope,
            registry,
            options.endpointOverrides(),
            new RequestRateCaps(config.service().awsRequestsPerSecond()),
            requests);
    Problems problems = new Problems();
    Map<String, Destination> destinations = outputs.build(config.outputs(), problems);
    Optional<RouteTable> table =
        RouteTable.compile(config.routes(), destinations.keySet(), problems, options.clock());
    if (problems.hasErrors() || table.isEmpty()) {
      outputs.closeAll();
      scheduler.shutdownNow();
      requests.shutdownNow();
      throw new ConfigException(problems.errors());
    }
    this.router =
        new Router(
            table.get(),
            destinations,
            deliveryMetrics,
            options.clock(),
            ecsScope,
            config.service().enrichEcs());
    this.ring = new ChunkRing(config.service().ringSize(), Duration.ofMillis(100), router);
    this.forward = new ForwardServer(config.forward(), ring, loops, registry);
    this.admin = new AdminServer(config.service().admin(), loops, new Endpoints());
    this.reloader = new Reloader(options, config, outputs, router);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Loads the config, refuses it with every problem, or starts everything and returns. */
  public static RouterRuntime start(Options options, OutputCatalog catalog, TemplateScope ecsScope)
      throws Exception {
    Problems problems = new Problems();
    Optional<RouterConfig> config =
        new ConfigLoader(options.environment()::get).load(options.configFile(), problems);
    catalog.validate(config.map(RouterConfig::outputs).orElse(List.of()), problems);
    problems.all().stream()
        .filter(p -> !problems.errors().contains(p))
        .forEach(p -> LOG.warn("{}", p));
    if (problems.hasErrors() || config.isEmpty()) {
      throw new ConfigException(problems.errors());
    }
    LogFormat.apply(config.get().service().logFormat());
    NettyLoops loops = options.loops() != null ? options.loops() : NettyLoops.createDefault();
    RouterRuntime runtime = new RouterRuntime(options, config.get(), catalog, ecsScope, loops);
    runtime.startParts();
    return runtime;
  }

  /** Starts a listener; if it cannot, closes what started and says which one and why. */
  private <T> T listen(String what, Callable<T> start) throws CannotStartException {
    try {
      return start.call();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      close();
      throw new CannotStartException("cannot listen for " + what, e);
    }
  }

  private void startParts() throws Exception {
    outputs.startAll();
    ring.start();
    String forwardOn =
        Stream.of(
                config.forward().tcp().map(t -> "tcp " + t),
                config.forward().unix().map(u -> "unix " + u))
            .flatMap(Optional::stream)
            .collect(Collectors.joining(" and "));
    listen(
        "Forward clients on " + forwardOn,
        () -> {
          forward.start();
          return null;
        });
    adminAddress = listen("admin HTTP on " + config.service().admin(), admin::start);
    LOG.info(
        "firelens-router ready: forward {}{}, {} outputs, {} routes",
        forward.tcpAddress().map(Object::toString).orElse("(no tcp)"),
        config.forward().unix().map(p -> ", unix " + p).orElse(""),
        config.outputs().size(),
        config.routes().size());
  }

  /** The config in force (the last one a reload applied). */
  public RouterConfig config() {
    return reloader.current();
  }

  public Optional<InetSocketAddress> forwardAddress() {
    return forward.tcpAddress();
  }

  public InetSocketAddress adminAddress() {
    return adminAddress;
  }

  /** Every output's ledger (and the router's drops under {@code none}). */
  public DeliveryMetrics deliveryMetrics() {
    return deliveryMetrics;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public AdminEndpoints.ReloadResult reload() {
    return reloader.reload();
  }

  public boolean isDraining() {
    return draining;
  }

  /**
   * A second stop signal: stop waiting for clients at once and give the outputs {@link
   * Drain#HURRIED_FLUSH} more, then report what is left.
   */
  public void hurry() {
    if (hurriedAt == null) {
      hurriedAt = options.clock().instant();
    }
  }

  /**
   * Drains within {@code grace} (ARCHITECTURE.md "Shutdown"): not ready at once; keep reading until
   * the clients close or the input deadline passes; stop ingest; let the ring empty; flush and wait
   * for every output until the deadline. Returns what was left.
   */
  public ShutdownReport shutdown(Duration grace) {
    draining = true;
    return new Drain(options.clock(), forward, ring, outputs, () -> hurriedAt).run(grace);
  }

  @Override
  public void close() {
    admin.close();
    forward.close();
    ring.close();
    outputs.closeAll();
    scheduler.shutdownNow();
    requests.shutdownNow();
    if (options.loops() == null) {
      loops.close();
    }
  }

  private final class Endpoints implements AdminEndpoints {
    @Override
    public boolean ready() {
      return !draining;
    }

    @Override
    public String metrics() {
      return PrometheusText.scrape(registry);
    }

    @Override
    public String routes() {
      return RoutesDocument.render(reloader.current(), router, outputs, deliveryMetrics::forOutput);
    }

    @Override
    public ReloadResult reload() {
      return reloader.reload();
    }
  }
}
