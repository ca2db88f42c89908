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
 * HTTP status, and an {@code x-amzn-RequestId} on every answer. {@link ApiFaults} can be injected
 * (throttling, 500s, latency, connection resets, a request rate cap), also by {@code POST
 * /_sandbox/faults}.
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
  private final String throttleError;
  private final int throttleStatus;
  private volatile ApiFaults faults = ApiFaults.NONE;
  private volatile java.util.concurrent.CountDownLatch gate;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong injected = new AtomicLong();
  private long windowSecond;
  private int windowCount;

  /**
   * @param throttleError the error this service answers when it throttles ({@code
   *     ThrottlingException} with 400 for CloudWatch Logs, {@code ServiceUnavailableException} with
   *     503 for Firehose)
   */
  JsonApiEmulator(String targetPrefix, String throttleError, int throttleStatus) {
    this.targetPrefix = targetPrefix;
    this.throttleError = throttleError;
    this.throttleStatus = throttleStatus;
  }

  /** Answers one operation; the returned node is the JSON body (null: empty 200). */
  abstract JsonNode handle(String operation, JsonNode request, byte[] raw)
      throws ApiError, IOException;

  /**
   * The body of a 200 answer to one call: by default {@link #handle} on the request read as a tree.
   * An emulator overrides this for a call that a load test makes often enough that the tree, one
   * node per record, would cost more than the client under test.
   */
  byte[] answer(String operation, byte[] raw) throws ApiError, IOException {
    JsonNode out = handle(operation, JSON.readTree(raw), raw);
    return out == null ? EMPTY_OBJECT : JSON.writeValueAsBytes(out);
  }

  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  /**
   * An id in the shape of a UUID, for request and record ids. Not {@link UUID#randomUUID}: its
   * SecureRandom was a visible share of the emulator's CPU in load tests, and nobody relies on
   * these ids being unguessable.
   */
  static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private javax.net.ssl.SSLContext tls;

  URI startServer() throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs:
    // every call would take tens of milliseconds.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls != null) {
      com.sun.net.httpserver.HttpsServer https =
          com.sun.net.httpserver.HttpsServer.create(loopback, 64);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      server = https;
    } else {
      server = HttpServer.create(loopback, 64);
    }
    // Enough threads that injected latency delays answers without capping concurrency at a few.
    executor = Executors.newFixedThreadPool(16);
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.createContext(
        "/_sandbox/faults",
        new FaultsEndpoint<>(this::faults, this::faults, ApiFaults::fromJson, f -> f.toJson(JSON)));
    server.start();
    return URI.create(
        (tls != null ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Serve HTTPS with this context from the next start: for clients that insist on TLS (Fluent Bit's
   * cloudwatch_logs and kinesis_firehose outputs always use it with a custom endpoint).
   */
  public void useTls(javax.net.ssl.SSLContext context) {
    this.tls = context;
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /**
   * Holds every request until {@link #resume}: what a test uses to let records pile up behind a
   * request in flight, whatever the machine's speed, instead of counting on an injected latency.
   */
  public void pause() {
    gate = new java.util.concurrent.CountDownLatch(1);
  }

  public void resume() {
    java.util.concurrent.CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /**
   * From now on every request must carry a Signature Version 4 made with these credentials over the
   * bytes that arrive; others are answered as AWS answers them ({@code InvalidSignatureException},
   * {@code UnrecognizedClientException}). Off by default, so any client credentials work in the
   * sandbox.
   */
  public void verifySignatures(
      software.amazon.awssdk.identity.spi.AwsCredentialsIdentity credentials) {
    signatures = new SignatureCheck(credentials);
  }

  private volatile SignatureCheck signatures;

  /** From now on, this share of requests is throttled and this share fails with a 500. */
  public void faults(double throttleRatio, double serverErrorRatio) {
    faults(faults.withThrottle(throttleRatio).withServerErrors(serverErrorRatio));
  }

  /** From now on, these faults. */
  public void faults(ApiFaults next) {
    faults = next;
  }

  public ApiFaults faults() {
    return faults;
  }

  /** Requests answered with an injected fault so far. */
  public long faultsInjected() {
    return injected.get();
  }

  /** True when this request is beyond the per-second cap. */
  private synchronized boolean overRate(int cap) {
    long second = System.nanoTime() / 1_000_000_000L;
    if (second != windowSecond) {
      windowSecond = second;
      windowCount = 0;
    }
    return ++windowCount > cap;
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
    java.util.concurrent.CountDownLatch held = gate;
    if (held != null) {
      try {
        held.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ApiFaults f = faults;
    if (!f.latency().isZero()) {
      try {
        Thread.sleep(f.latency().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ThreadLocalRandom.current().nextDouble() < f.resets()) {
      injected.incrementAndGet();
      // Thrown out of the handler, this closes the connection without an answer.
      throw new IOException("sandbox: connection reset (fault injection)");
    }
    int status = 200;
    byte[] out;
    try {
      SignatureCheck check = signatures;
      if (check != null) {
        check.check(ex.getRequestMethod(), ex.getRequestURI(), ex.getRequestHeaders(), body);
      }
      if (target == null || !target.startsWith(targetPrefix + ".")) {
        throw new ApiError(400, "UnknownOperationException", "unknown target " + target);
      }
      double roll = ThreadLocalRandom.current().nextDouble();
      if (roll < f.throttle()
          || (f.maxRequestsPerSecond() > 0 && overRate(f.maxRequestsPerSecond()))) {
        injected.incrementAndGet();
        throw new ApiError(throttleStatus, throttleError, "Rate exceeded");
      }
      if (roll < f.throttle() + f.serverErrors()) {
        injected.incrementAndGet();
        throw new ApiError(500, "ServiceUnavailableException", "injected fault");
      }
      out = answer(target.substring(targetPrefix.length() + 1), body);
    } catch (ApiError e) {
      status = e.status;
      out = error(e.type, e.getMessage());
    } catch (IOException | RuntimeException e) {
      status = 400;
      out = error("SerializationException", String.valueOf(e.getMessage()));
    }
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    ex.getResponseHeaders().set("x-amzn-RequestId", randomId());
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(out);
    }
  }

  private static byte[] error(String type, String message) throws IOException {
    ObjectNode err = JSON.createObjectNode();
    err.put("__type", type);
    err.put("message", message);
    return JSON.writeValueAsBytes(err);
  }
}
