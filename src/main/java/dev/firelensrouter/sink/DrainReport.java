package dev.firelensrouter.sink;

/**
 * What a destination had left when it was drained: records not delivered (still buffered or in
 * flight at the deadline), and why.
 */
public record DrainReport(String output, long delivered, long undelivered, String reason) {
  public static DrainReport clean(String output, long delivered) {
    return new DrainReport(output, delivered, 0, "");
  }

  public boolean isClean() {
    return undelivered == 0;
  }
}
