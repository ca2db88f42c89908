package dev.firelensrouter.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of a config, so that a user sees them all at once, not one per run. */
public final class Problems {
  private final List<Problem> list = new ArrayList<>();

  public void error(Location at, String message) {
    list.add(new Problem(Problem.Severity.ERROR, at, message));
  }

  public void warning(Location at, String message) {
    list.add(new Problem(Problem.Severity.WARNING, at, message));
  }

  public boolean hasErrors() {
    return list.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
  }

  /** All problems in file order. */
  public List<Problem> all() {
    List<Problem> sorted = new ArrayList<>(list);
    sorted.sort(
        Comparator.comparing((Problem p) -> p.location().file())
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    return sorted;
  }

  public List<Problem> errors() {
    return all().stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
  }
}
