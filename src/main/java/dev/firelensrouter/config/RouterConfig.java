package dev.firelensrouter.config;

import java.util.List;
import java.util.Optional;

/** A whole config file, parsed and structurally checked. */
public record RouterConfig(
    String file,
    ServiceConfig service,
    ForwardInputConfig forward,
    List<OutputSpec> outputs,
    List<RouteSpec> routes) {

  public Optional<OutputSpec> output(String name) {
    return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
  }
}
