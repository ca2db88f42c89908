package dev.firelensrouter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a config file into a {@link RouterConfig}: the service and input sections fully, outputs
 * and routes as located specs that their own packages validate. Every problem is collected.
 */
public final class ConfigLoader {
  static final List<String> TOP_KEYS = List.of("service", "inputs", "outputs", "routes");
  static final List<String> SERVICE_KEYS =
      List.of(
          "admin",
          "memory_budget",
          "grace",
          "data_dir",
          "enrich_ecs",
          "log_format",
          "ring_size",
          "aws_requests_per_second");
  static final List<String> AWS_SERVICES = List.of("logs", "firehose", "s3");
  static final List<String> INPUT_KEYS = List.of("forward");
  static final List<String> FORWARD_KEYS =
      List.of(
          "tcp",
          "unix",
          "shared_key",
          "self_hostname",
          "users",
          "tls",
          "max_frame",
          "ack",
          "max_connections",
          "udp_heartbeat",
          "handshake_timeout");
  static final List<String> ROUTE_KEYS = List.of("name", "match", "transform", "to", "continue");

  private final Function<String, String> environment;

  public ConfigLoader(Function<String, String> environment) {
    this.environment = environment;
  }

  public static ConfigLoader fromSystemEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  /** {@code --config env:NAME}: the config is the text of environment variable NAME. */
  public static final String FROM_ENVIRONMENT = "env:";

  /**
   * Loads {@code file}, or with {@code env:NAME} the YAML held by that environment variable (how a
   * task definition passes a config from SSM Parameter Store or Secrets Manager without an image of
   * its own; problems then read {@code env:NAME:LINE:COL}). Problems (errors and warnings) are
   * added to {@code problems}.
   */
  public Optional<RouterConfig> load(Path file, Problems problems) {
    String name = file.toString();
    if (name.startsWith(FROM_ENVIRONMENT)) {
      String variable = name.substring(FROM_ENVIRONMENT.length());
      String text = variable.isEmpty() ? null : environment.apply(variable);
      if (text == null || text.isBlank()) {
        problems.error(
            new Location(name, 1, 1),
            "the environment variable '" + variable + "' holds no config (unset or empty)");
        return Optional.empty();
      }
      return parse(name, text, problems);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.error(
          new Location(file.toString(), 1, 1), "cannot read the file: " + e.getMessage());
      return Optional.empty();
    }
    return parse(file.toString(), text, problems);
  }

  public Optional<RouterConfig> parse(String fileName, String text, Problems problems) {
    Optional<ConfigNode> root = new YamlReader(fileName, environment, problems).read(text);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    if (!(root.get() instanceof MapNode top)) {
      problems.error(
          root.get().location(),
          "the config must be a map with service, inputs, outputs and routes");
      return Optional.empty();
    }
    top.rejectUnknownKeys(TOP_KEYS, "the config", problems);
    ServiceConfig service = service(top.map("service", problems).orElse(empty(top)), problems);
    ForwardInputConfig forward = forward(top, problems);
    List<OutputSpec> outputs = outputs(top, problems);
    List<RouteSpec> routes = routes(top, outputs, problems);
    return Optional.of(new RouterConfig(fileName, service, forward, outputs, routes));
  }

  private static MapNode empty(MapNode parent) {
    return ConfigNode.map(Map.of(), parent.location());
  }

  private ServiceConfig service(MapNode s, Problems problems) {
    s.rejectUnknownKeys(SERVICE_KEYS, "service", problems);
    HostPort admin = hostPort(s, "admin", problems).orElse(new HostPort("127.0.0.1", 2020));
    long budget = s.size("memory_budget", problems).orElse(0L);
    if (s.has("memory_budget") && budget > 0 && budget < (1L << 20)) {
      problems.error(s.locationOf("memory_budget"), "'memory_budget' must be at least 1MiB");
    }
    Duration grace = s.duration("grace", problems).orElse(Duration.ofSeconds(25));
    Path dataDir = Path.of(s.string("data_dir", "./data", problems));
    boolean enrich = s.bool("enrich_ecs", false, problems);
    String logFormat = s.oneOf("log_format", List.of("text", "json"), problems).orElse("text");
    long ring = s.integer("ring_size", 16, 1 << 20, problems).orElse(1024L);
    if (Long.bitCount(ring) != 1) {
      problems.error(s.locationOf("ring_size"), "'ring_size' must be a power of two, not " + ring);
      ring = 1024;
    }
    return new ServiceConfig(
        admin, budget, grace, dataDir, enrich, logFormat, (int) ring, awsRequestCaps(s, problems));
  }

  /** {@code aws_requests_per_second: {logs: 5000, firehose: 2000}}: account-level request caps. */
  private static Map<String, Double> awsRequestCaps(MapNode s, Problems problems) {
    Optional<MapNode> caps = s.map("aws_requests_per_second", problems);
    if (caps.isEmpty()) {
      return Map.of();
    }
    caps.get().rejectUnknownKeys(AWS_SERVICES, "aws_requests_per_second", problems);
    Map<String, Double> out = new java.util.TreeMap<>();
    for (String service : AWS_SERVICES) {
      caps.get()
          .integer(service, 1, 1_000_000, problems)
          .ifPresent(n -> out.put(service, n.doubleValue()));
    }
    return out;
  }

  private ForwardInputConfig forward(MapNode top, Problems problems) {
    MapNode inputs = top.map("inputs", problems).orElse(empty(top));
    inputs.rejectUnknownKeys(INPUT_KEYS, "inputs", problems);
    MapNode f = inputs.map("forward", problems).orElse(empty(inputs));
    f.rejectUnknownKeys(FORWARD_KEYS, "inputs.forward", problems);
    Optional<HostPort> tcp = hostPort(f, "tcp", problems);
    Optional<Path> unix = f.string("unix", problems).filter(p -> !p.isEmpty()).map(Path::of);
    if (tcp.isEmpty() && unix.isEmpty() && !f.has("tcp")) {
      tcp = Optional.of(new HostPort("0.0.0.0", 24224));
    }
    String key = f.string("shared_key", "", problems);
    String hostname = f.string("self_hostname", "firelens-router", problems);
    List<ForwardInputConfig.User> users = new ArrayList<>();
    f.list("users", problems)
        .ifPresent(
            items -> {
              for (ConfigNode item : items) {
                if (item instanceof MapNode u) {
                  u.rejectUnknownKeys(List.of("username", "password"), "a forward user", problems);
                  Optional<String> name = u.requiredString("username", "a forward user", problems);
                  Optional<String> pass = u.requiredString("password", "a forward user", problems);
                  if (name.isPresent() && pass.isPresent()) {
                    users.add(new ForwardInputConfig.User(name.get(), pass.get()));
                  }
                } else {
                  problems.error(
                      item.location(),
                      "each forward user must be a map with username and password");
                }
              }
            });
    if (!users.isEmpty() && key.isEmpty()) {
      problems.error(
          f.locationOf("users"),
          "'users' needs a 'shared_key' (the handshake carries the password check)");
    }
    Optional<ForwardInputConfig.Tls> tls =
        f.map("tls", problems)
            .flatMap(
                t -> {
                  t.rejectUnknownKeys(
                      List.of("cert_file", "key_file"), "inputs.forward.tls", problems);
                  Optional<String> cert =
                      t.requiredString("cert_file", "inputs.forward.tls", problems);
                  Optional<String> k = t.requiredString("key_file", "inputs.forward.tls", problems);
                  return cert.isPresent() && k.isPresent()
                      ? Optional.of(
                          new ForwardInputConfig.Tls(Path.of(cert.get()), Path.of(k.get())))
                      : Optional.empty();
                });
    long maxFrame = f.size("max_frame", problems).orElse(16L << 20);
    if (maxFrame < 1024 || maxFrame > (1L << 30)) {
      problems.error(f.locationOf("max_frame"), "'max_frame' must be between 1KiB and 1GiB");
      maxFrame = 16L << 20;
    }
    ForwardInputConfig.AckMode ack =
        f.oneOf("ack", List.of("delivered", "received"), problems)
            .map(
                a ->
                    a.equals("received")
                        ? ForwardInputConfig.AckMode.RECEIVED
                        : ForwardInputConfig.AckMode.DELIVERED)
            .orElse(ForwardInputConfig.AckMode.DELIVERED);
    int maxConnections = f.integer("max_connections", 1, 65536, problems).orElse(1024L).intValue();
    boolean udp = f.bool("udp_heartbeat", false, problems);
    Duration handshake = f.duration("handshake_timeout", problems).orElse(Duration.ofSeconds(10));
    return new ForwardInputConfig(
        tcp,
        unix,
        key,
        hostname,
        List.copyOf(users),
        tls,
        maxFrame,
        ack,
        maxConnections,
        udp,
        handshake);
  }

  private List<OutputSpec> outputs(MapNode top, Problems problems) {
    List<OutputSpec> outputs = new ArrayList<>();
    Optional<MapNode> section = top.map("outputs", problems);
    if (section.isEmpty()) {
      problems.error(
          top.location(), "the config needs an 'outputs' section with at least one output");
      return outputs;
    }
    for (Map.Entry<ConfigNode.Key, ConfigNode> e : section.get().entries().entrySet()) {
      String name = e.getKey().name();
      if (!(e.getValue() instanceof MapNode options)) {
        problems.error(
            e.getValue().location(), "output '" + name + "' must be a map with a 'type'");
        continue;
      }
      // `type: null` (the discarding output) parses as a YAML null: take the word as written.
      Optional<String> type =
          options.get("type").orElse(null) instanceof ConfigNode.Scalar t
                  && t.isNull()
                  && "null".equals(t.raw())
              ? Optional.of("null")
              : options.requiredString("type", "output '" + name + "'", problems);
      type.ifPresent(t -> outputs.add(new OutputSpec(name, t, options)));
    }
    return outputs;
  }

  private List<RouteSpec> routes(MapNode top, List<OutputSpec> outputs, Problems problems) {
    List<RouteSpec> routes = new ArrayList<>();
    Optional<List<ConfigNode>> items = top.list("routes", problems);
    if (items.isEmpty()) {
      problems.error(top.location(), "the config needs a 'routes' list with at least one route");
      return routes;
    }
    Set<String> outputNames = new HashSet<>();
    outputs.forEach(o -> outputNames.add(o.name()));
    Set<String> used = new HashSet<>();
    Set<String> names = new HashSet<>();
    Optional<RouteSpec> catchAll = Optional.empty();
    int index = 0;
    for (ConfigNode item : items.get()) {
      index++;
      if (!(item instanceof MapNode r)) {
        problems.error(
            item.location(), "each route must be a map with 'to' (and usually 'name' and 'match')");
        continue;
      }
      r.rejectUnknownKeys(ROUTE_KEYS, "a route", problems);
      String name = r.string("name", "route-" + index, problems);
      if (!names.add(name)) {
        problems.error(r.locationOf("name"), "route name '" + name + "' is used twice");
      }
      Optional<MapNode> match = r.map("match", problems);
      Optional<ConfigNode.Sequence> transform = Optional.empty();
      if (r.has("transform")) {
        ConfigNode t = r.get("transform").get();
        if (t instanceof ConfigNode.Sequence seq) {
          transform = Optional.of(seq);
        } else if (!(t instanceof ConfigNode.Scalar s && s.isNull())) {
          problems.error(
              t.location(), "'transform' must be a list of steps, for example '- parse_json: log'");
        }
      }
      List<String> to = r.strings("to", problems).orElse(List.of());
      if (to.isEmpty()) {
        problems.error(r.location(), "route '" + name + "' needs 'to' with at least one output");
      }
      for (String out : to) {
        used.add(out);
        if (!outputNames.contains(out)) {
          String hint =
              Suggestions.closest(out, outputNames)
                  .map(s -> "; did you mean '" + s + "'?")
                  .orElse("");
          problems.error(
              r.locationOf("to"),
              "route '" + name + "' sends to output '" + out + "', which does not exist" + hint);
        }
      }
      boolean cont = r.bool("continue", false, problems);
      RouteSpec spec = new RouteSpec(name, match, transform, to, cont, r);
      if (catchAll.isPresent()) {
        problems.warning(
            r.location(),
            "route '"
                + name
                + "' is never reached: route '"
                + catchAll.get().name()
                + "' before it catches every record");
      } else if (match.isEmpty() && !cont) {
        catchAll = Optional.of(spec);
      }
      routes.add(spec);
    }
    for (OutputSpec o : outputs) {
      if (!used.contains(o.name())) {
        problems.warning(o.location(), "output '" + o.name() + "' is not used by any route");
      }
    }
    return routes;
  }

  private static Optional<HostPort> hostPort(MapNode m, String key, Problems problems) {
    return m.string(key, problems)
        .filter(s -> !s.isEmpty())
        .flatMap(
            s -> {
              Optional<HostPort> hp = HostPort.parse(s);
              if (hp.isEmpty()) {
                problems.error(
                    m.locationOf(key), "'" + key + "' must be HOST:PORT, not '" + s + "'");
              }
              return hp;
            });
  }
}
