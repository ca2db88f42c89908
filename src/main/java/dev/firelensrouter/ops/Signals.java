package dev.firelensrouter.ops;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM/SIGINT and SIGHUP. The JVM's shutdown hooks cannot tell a first signal from a second, nor
 * reload on SIGHUP, so handlers are installed with {@code sun.misc.Signal} (module jdk.unsupported,
 * present in every JDK and JRE this runs on). It is reached by reflection so the build does not
 * lean on an internal API at compile time; where it is missing, the router still stops on SIGTERM
 * through a shutdown hook, without the second-signal and SIGHUP extras.
 */
public final class Signals {
  private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

  private Signals() {}

  /** {@code handler.accept(true)} on the first SIGTERM or SIGINT, {@code false} on later ones. */
  public static void onTerminate(Consumer<Boolean> handler) {
    AtomicInteger count = new AtomicInteger();
    boolean installed = true;
    for (String name : new String[] {"TERM", "INT"}) {
      installed &= handle(name, () -> handler.accept(count.incrementAndGet() == 1));
    }
    if (!installed) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> handler.accept(true), "stop-signal"));
    }
  }

  public static void onHangup(Runnable handler) {
    if (!handle("HUP", handler)) {
      LOG.warn("SIGHUP cannot be caught on this JVM: reload with POST /reload");
    }
  }

  private static boolean handle(String signal, Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      InvocationHandler invocation =
          (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              action.run();
              return null;
            }
            return method.getDeclaringClass() == Object.class
                ? objectMethod(proxy, method, args)
                : null;
          };
      Object handler =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
      Object sig = signalClass.getConstructor(String.class).newInstance(signal);
      signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, sig, handler);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("cannot install a handler for SIG{}", signal, e);
      return false;
    }
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> "SignalHandler";
    };
  }
}
