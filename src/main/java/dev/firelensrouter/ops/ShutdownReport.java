package dev.firelensrouter.ops;

import dev.firelensrouter.sink.DrainReport;
import java.util.List;
import java.util.stream.Collectors;

/** What a shutdown delivered and what it had to leave, per output. */
public record ShutdownReport(List<DrainReport> outputs, long ringLeft, long durationMillis) {
  public long undelivered() {
    return ringLeft + outputs.stream().mapToLong(r -> Math.max(0, r.undelivered())).sum();
  }

  public boolean isClean() {
    return undelivered() == 0 && outputs.stream().allMatch(r -> r.undelivered() >= 0);
  }

  /** The one summary line the log gets. */
  public String summary() {
    String perOutput =
        outputs.stream()
            .map(
                r ->
                    r.output()
                        + "="
                        + r.delivered()
                        + " delivered"
                        + (r.isClean() ? "" : "/" + r.undelivered() + " left (" + r.reason() + ")"))
            .collect(Collectors.joining(", "));
    return (isClean() ? "drained cleanly" : "drained with " + undelivered() + " records left")
        + " in "
        + durationMillis
        + " ms"
        + (ringLeft > 0 ? "; " + ringLeft + " chunks never left the ring" : "")
        + (perOutput.isEmpty() ? "" : ": " + perOutput);
  }
}
