package dev.firelensrouter.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code moto_server} (a third-party AWS emulator on this machine image) on a free loopback port.
 */
public final class MotoServer implements AutoCloseable {
  private final Process process;
  private final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts it, or skips the test with a clear message where moto_server is not installed. */
  public static MotoServer startOrSkip(Path logDir) throws IOException {
    boolean present = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      present |= Files.isExecutable(Path.of(dir, "moto_server"));
    }
    assumeTrue(
        present, "moto_server is not on PATH: skipping the tests against the moto AWS emulator");
    int port = ChildRouter.freePort();
    Process p =
        new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(logDir.resolve("moto.log").toFile())
            .start();
    Await.until(
        Duration.ofSeconds(30),
        () -> listening(port) || !p.isAlive(),
        () -> "moto_server did not listen on " + port);
    if (!p.isAlive()) {
      throw new IllegalStateException(
          "moto_server exited: " + Files.readString(logDir.resolve("moto.log")));
    }
    return new MotoServer(p, URI.create("http://127.0.0.1:" + port));
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
