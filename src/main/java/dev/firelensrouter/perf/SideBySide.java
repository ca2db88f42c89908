package dev.firelensrouter.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code comparison.md}: the same scenario against two targets, figure by figure. */
final class SideBySide {
  private SideBySide() {}

  static void write(
      Path dir, Scenario scenario, String leftName, Report left, String rightName, Report right)
      throws IOException {
    Map<String, String> l = left.headline();
    Map<String, String> r = right.headline();
    StringBuilder b = new StringBuilder();
    b.append("# ").append(scenario.name()).append(": ").append(leftName).append(" and ");
    b.append(rightName).append("\n\n");
    if (!scenario.description().isEmpty()) {
      b.append(scenario.description()).append("\n\n");
    }
    b.append("Same load generator, same emulators, same machine, one after the other. ");
    b.append("Each target's own report: `report.md` (").append(leftName).append(") and `");
    b.append(rightName).append("/report.md`.\n\n");
    b.append("| | ").append(leftName).append(" | ").append(rightName).append(" |\n");
    b.append("|---|---|---|\n");
    for (Map.Entry<String, String> e : l.entrySet()) {
      b.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" | ");
      b.append(r.getOrDefault(e.getKey(), "")).append(" |\n");
    }
    Files.writeString(dir.resolve("comparison.md"), b.toString());
  }
}
