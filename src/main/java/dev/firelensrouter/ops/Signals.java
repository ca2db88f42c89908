package dev.firelensrouter.ops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGTERM/SIGINT and SIGHUP. The JVM's shutdown hooks cannot tell a first signal from a second, nor
 * reload on SIGHUP, so the handlers are installed directly.
 */
public final class Signals {
  private Signals() {}

  /** {@code handler.accept(true)} on the first SIGTERM or SIGINT, {@code false} on later ones. */
  public static void onTerminate(Consumer<Boolean> handler) {
    AtomicInteger count = new AtomicInteger();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> handler.accept(count.incrementAndGet() == 1));
    }
  }

  public static void onHangup(Runnable handler) {
    Signal.handle(new Signal("HUP"), s -> handler.run());
  }
}
