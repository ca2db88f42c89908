package dev.firelensrouter.ops;

/** What the admin server asks of the running router. Calls come from a Netty event loop. */
public interface AdminEndpoints {
  /** Listeners bound and not draining. */
  boolean ready();

  /** Prometheus text exposition. */
  String metrics();

  /** The {@code /routes} JSON document. */
  String routes();

  /** Re-reads the config; a refused one leaves the running one in place. */
  ReloadResult reload();

  /** The outcome of a reload: applied, or refused with the problems as FILE:LINE:COL lines. */
  record ReloadResult(boolean applied, java.util.List<String> problems) {}
}
