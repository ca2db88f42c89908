package dev.firelensrouter.sink.s3;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code moto_server} (a third-party AWS emulator) on a free loopback port. Tests using it are
 * skipped, with a message saying so, where it is not on the PATH.
 */
final class MotoServer implements AutoCloseable {
  private final Process process;
  final URI endpoint;

  private MotoServer(Process process, int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  static MotoServer startOrSkip() throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        onPath("moto_server"), "moto_server is not on the PATH: S3 conformance tests skipped");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    MotoServer server = new MotoServer(p, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
    }
    server.close();
    throw new IllegalStateException("moto_server did not listen on port " + port + " within 30 s");
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, command).canExecute()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    process.destroy();
  }
}
