package dev.firelensrouter.config;

import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code routes:} as written; the route package compiles and validates {@code match}
 * and {@code transform}.
 *
 * @param match absent for a catch-all route
 * @param transform the transform list, if any
 * @param to output names
 * @param continueMatching {@code continue: true}: later routes are tried too
 */
public record RouteSpec(
    String name,
    Optional<MapNode> match,
    Optional<ConfigNode.Sequence> transform,
    List<String> to,
    boolean continueMatching,
    MapNode node) {
  public Location location() {
    return node.location();
  }
}
