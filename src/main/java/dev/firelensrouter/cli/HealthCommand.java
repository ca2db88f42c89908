package dev.firelensrouter.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code health [--url URL]}: exit 0 when the admin server answers 200, for container health checks
 * in images that have no curl.
 */
@Command(
    name = "health",
    description = "Exit 0 if the router's /health answers 200 (for container health checks).",
    mixinStandardHelpOptions = true)
final class HealthCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:2020/health",
      description = "Default http://127.0.0.1:2020/health.")
  URI url;

  @Override
  public Integer call() {
    try {
      HttpResponse<Void> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? 0 : 1;
    } catch (java.io.IOException e) {
      System.err.println("health: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
