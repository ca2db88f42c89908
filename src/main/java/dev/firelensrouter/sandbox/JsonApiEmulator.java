package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AWS JSON 1.1 protocol both CloudWatch Logs and Firehose speak: {@code POST /} with {@code
 * X-Amz-Target: Prefix.Operation}, JSON in and out, errors as {@code {"__type","message"}} with an
 * HTTP status, and an {@code x-amzn-RequestId} on every answer. Faults can be injected: a share of
 * requests answered with a throttling error or a 500.
 */
abstract class JsonApiEmulator {
  static final ObjectMapper JSON = new ObjectMapper();

  /** An AWS error answer. */
  static final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;

    ApiError(int status, String type, String message) {
      super(message);
      this.status = status;
      this.type = type;
    }
  }

  private final String targetPrefix;
  private HttpServer server;
  private ExecutorService executor;
  private volatile double throttleRatio;
  private volatile double serverErrorRatio;
  private final AtomicLong requests = new AtomicLong();

  JsonApiEmulator(String targetPrefix) {
    this.targetPrefix = targetPrefix;
  }

  /** Answers one operation; the returned node is the JSON body (null: empty 200). */
  abstract JsonNode handle(String operation, JsonNode request) throws ApiError, IOException;

  URI startServer() throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs:
    // every call would take tens of milliseconds.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** From now on, this share of requests is throttled and this share fails with a 500. */
  public void faults(double throttleRatio, double serverErrorRatio) {
    this.throttleRatio = throttleRatio;
    this.serverErrorRatio = serverErrorRatio;
  }

  public long requests() {
    return requests.get();
  }

  private void exchange(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    int status = 200;
    JsonNode answer;
    try {
      if (target == null || !target.startsWith(targetPrefix + ".")) {
        throw new ApiError(400, "UnknownOperationException", "unknown target " + target);
      }
      double roll = ThreadLocalRandom.current().nextDouble();
      if (roll < throttleRatio) {
        throw new ApiError(400, "ThrottlingException", "Rate exceeded");
      }
      if (roll < throttleRatio + serverErrorRatio) {
        throw new ApiError(500, "ServiceUnavailableException", "injected fault");
      }
      answer = handle(target.substring(targetPrefix.length() + 1), JSON.readTree(body));
    } catch (ApiError e) {
      status = e.status;
      ObjectNode err = JSON.createObjectNode();
      err.put("__type", e.type);
      err.put("message", e.getMessage());
      answer = err;
    } catch (IOException | RuntimeException e) {
      status = 400;
      ObjectNode err = JSON.createObjectNode();
      err.put("__type", "SerializationException");
      err.put("message", String.valueOf(e.getMessage()));
      answer = err;
    }
    byte[] out =
        answer == null ? "{}".getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(answer);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }
}
