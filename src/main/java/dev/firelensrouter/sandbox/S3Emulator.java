package dev.firelensrouter.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback S3 the real SDK talks to (path-style): CreateBucket, PutObject, GetObject, HeadObject,
 * ListObjectsV2, CreateMultipartUpload, UploadPart, CompleteMultipartUpload (part rules enforced),
 * AbortMultipartUpload; S3's XML errors; {@code aws-chunked} bodies with checksum trailers; faults
 * ({@link S3Faults}); a failure of its own is {@code 500 InternalError}. Objects are files under
 * {@code DIR/s3/<bucket>/<key>} (see {@link S3KeyFiles} for keys that are no usable path).
 */
public final class S3Emulator {

  private volatile S3Faults faults = S3Faults.NONE;
  private volatile boolean bucketsOnDemand;
  private final AtomicInteger completesToFail = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong injected = new AtomicLong();
  private final AtomicLong partsReceived = new AtomicLong();
  private HttpServer server;
  private ExecutorService executor;
  private S3Store store;
  private final java.util.Set<String> denied = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, String> regions = new java.util.concurrent.ConcurrentHashMap<>();

  /** Starts on a free loopback port, keeping objects under {@code dir/s3}; answers the endpoint. */
  public URI start(Path dir) throws IOException {
    store = new S3Store(dir);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.createContext(
        "/_sandbox/faults",
        new FaultsEndpoint<>(
            () -> faults,
            this::faults,
            S3Faults::fromJson,
            f -> f.toJson(new com.fasterxml.jackson.databind.ObjectMapper())));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** Every request on this bucket is answered 403 AccessDenied, as a missing IAM grant is. */
  public void denyBucket(String bucket) {
    denied.add(bucket);
  }

  /**
   * The bucket lives in {@code region}: requests signed for another region get S3's 301
   * PermanentRedirect, with the bucket's region in {@code x-amz-bucket-region}.
   */
  public void bucketRegion(String bucket, String region) {
    regions.put(bucket, region);
  }

  /** The region of the request's SigV4 credential scope ({@code .../REGION/s3/aws4_request}). */
  private static String signingRegion(HttpExchange x) {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return "";
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/s3/").matcher(auth);
    return m.find() ? m.group(1) : "";
  }

  /** Replaces the injected faults. */
  public void faults(S3Faults next) {
    faults = next;
    completesToFail.set(next.failCompletes());
  }

  /**
   * When on (for {@code run --sandbox}), a write to a bucket that does not exist creates it instead
   * of answering {@code NoSuchBucket}.
   */
  public void createBucketsOnDemand(boolean on) {
    bucketsOnDemand = on;
  }

  /** Creates a bucket directly (as the CreateBucket call does). */
  public void createBucket(String bucket) throws IOException {
    try {
      store.createBucket(bucket);
    } catch (S3Store.S3Error e) {
      throw new IOException(e.code + ": " + bucket, e);
    }
  }

  public long requests() {
    return requests.get();
  }

  /** UploadPart calls stored so far. */
  public long partsReceived() {
    return partsReceived.get();
  }

  /**
   * Multipart uploads created and neither completed nor aborted: parts real S3 would keep billing
   * (what {@code ListMultipartUploads} would list).
   */
  public int openMultipartUploads() {
    try {
      return store.openUploads();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Requests answered with an injected fault so far. */
  public long faultsInjected() {
    return injected.get();
  }

  /** The values S3 takes in {@code x-amz-storage-class}. */
  private static final java.util.Set<String> STORAGE_CLASSES =
      java.util.Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "DEEP_ARCHIVE",
          "OUTPOSTS",
          "GLACIER_IR",
          "SNOW",
          "EXPRESS_ONEZONE");

  private void handle(HttpExchange x) throws IOException {
    requests.incrementAndGet();
    try {
      S3Faults f = faults;
      if (!f.latency().isZero()) {
        Thread.sleep(f.latency().toMillis());
      }
      double roll = ThreadLocalRandom.current().nextDouble();
      if (roll < f.resetRatio()) {
        injected.incrementAndGet();
        throw new InjectedReset();
      }
      roll = ThreadLocalRandom.current().nextDouble();
      if (roll < f.errorRatio()) {
        injected.incrementAndGet();
        S3Http.drain(x);
        throw new S3Store.S3Error(503, "SlowDown", "Please reduce your request rate.");
      }
      if (roll < f.errorRatio() + f.serverErrorRatio()) {
        injected.incrementAndGet();
        S3Http.drain(x);
        throw new S3Store.S3Error(
            500, "InternalError", "We encountered an internal error. Please try again.");
      }
      route(x);
    } catch (S3Store.S3Error e) {
      S3Http.error(x, e);
    } catch (InjectedReset e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      internalError(x, e);
    } finally {
      x.close();
    }
  }

  /** Thrown to drop the connection without an answer, as a reset fault asks. */
  private static final class InjectedReset extends IOException {
    private static final long serialVersionUID = 1L;

    InjectedReset() {
      super("sandbox: connection reset (fault injection)");
    }
  }

  /**
   * A failure of the emulator itself is answered as S3 answers its own, {@code 500 InternalError}
   * with the cause in the message, instead of a dropped connection the client retries forever.
   */
  private static void internalError(HttpExchange x, Exception e) throws IOException {
    if (x.getResponseCode() != -1) {
      // The answer has begun: all that is left is to cut it short.
      throw e instanceof IOException io ? io : new IOException(e);
    }
    try {
      S3Http.drain(x);
    } catch (IOException unreadable) {
      // The body is what failed; answer anyway.
    }
    S3Http.error(
        x,
        new S3Store.S3Error(
            500, "InternalError", "We encountered an internal error (sandbox: " + e + ")."));
  }

  private void route(HttpExchange x) throws IOException, S3Store.S3Error {
    String path = x.getRequestURI().getRawPath();
    int slash = path.indexOf('/', 1);
    String bucket = S3Http.decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
    String key = slash < 0 ? "" : S3Http.decode(path.substring(slash + 1));
    Map<String, String> q = S3Http.query(x.getRequestURI().getRawQuery());
    String method = x.getRequestMethod();
    if (denied.contains(bucket)) {
      S3Http.drain(x);
      throw new S3Store.S3Error(403, "AccessDenied", "Access Denied");
    }
    String home = regions.get(bucket);
    if (home != null && !home.equals(signingRegion(x))) {
      S3Http.drain(x);
      x.getResponseHeaders().set("x-amz-bucket-region", home);
      throw new S3Store.S3Error(
          301,
          "PermanentRedirect",
          "The bucket you are attempting to access must be addressed using the specified"
              + " endpoint. Please send all future requests to this endpoint.");
    }
    if (bucketsOnDemand && !bucket.isEmpty() && (method.equals("PUT") || method.equals("POST"))) {
      store.createBucket(bucket);
    }
    if (key.isEmpty()) {
      switch (method) {
        case "PUT" -> {
          store.createBucket(bucket);
          S3Http.respond(x, 200, "");
        }
        case "HEAD" -> {
          store.bucket(bucket);
          S3Http.respond(x, 200, "");
        }
        case "GET" -> list(x, bucket, q.getOrDefault("prefix", ""));
        default -> throw new S3Store.S3Error(405, "MethodNotAllowed", method);
      }
      return;
    }
    String storageClass = x.getRequestHeaders().getFirst("x-amz-storage-class");
    if (storageClass != null && !STORAGE_CLASSES.contains(storageClass)) {
      S3Http.drain(x);
      throw new S3Store.S3Error(
          400, "InvalidStorageClass", "The storage class you specified is not valid");
    }
    switch (method) {
      case "PUT" -> {
        String etag =
            q.containsKey("uploadId")
                ? store.putPart(
                    bucket,
                    key,
                    q.get("uploadId"),
                    Integer.parseInt(q.get("partNumber")),
                    S3Http.body(x))
                : store.put(bucket, key, S3Http.body(x));
        if (q.containsKey("uploadId")) {
          partsReceived.incrementAndGet();
        }
        x.getResponseHeaders().add("ETag", "\"" + etag + "\"");
        S3Http.respond(x, 200, "");
      }
      case "POST" -> {
        if (q.containsKey("uploads")) {
          String id = store.createUpload(bucket, key);
          S3Http.respond(
              x,
              200,
              "<InitiateMultipartUploadResult><Bucket>"
                  + S3Http.xml(bucket)
                  + "</Bucket><Key>"
                  + S3Http.xml(key)
                  + "</Key><UploadId>"
                  + id
                  + "</UploadId></InitiateMultipartUploadResult>");
        } else if (q.containsKey("uploadId")) {
          String text = new String(S3Http.body(x).readAllBytes(), StandardCharsets.UTF_8);
          if (completesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            injected.incrementAndGet();
            throw new S3Store.S3Error(
                400, "InvalidPart", "One or more of the specified parts could not be found.");
          }
          String etag = store.complete(bucket, key, q.get("uploadId"), S3Http.parts(text));
          S3Http.respond(
              x,
              200,
              "<CompleteMultipartUploadResult><Bucket>"
                  + S3Http.xml(bucket)
                  + "</Bucket><Key>"
                  + S3Http.xml(key)
                  + "</Key><ETag>\""
                  + etag
                  + "\"</ETag></CompleteMultipartUploadResult>");
        } else {
          throw new S3Store.S3Error(400, "InvalidRequest", "unsupported POST");
        }
      }
      case "DELETE" -> {
        if (q.containsKey("uploadId")) {
          store.abort(bucket, key, q.get("uploadId"));
        } else {
          store.delete(bucket, key);
        }
        S3Http.respond(x, 204, "");
      }
      case "GET", "HEAD" -> {
        Path f = store.object(bucket, key);
        long size = Files.size(f);
        x.getResponseHeaders().add("ETag", "\"" + size + "\"");
        x.getResponseHeaders().add("Content-Type", "application/octet-stream");
        x.getResponseHeaders().add("x-amz-request-id", S3Http.requestId());
        if (method.equals("HEAD")) {
          x.getResponseHeaders().add("Content-Length", Long.toString(size));
          x.sendResponseHeaders(200, -1);
        } else {
          x.sendResponseHeaders(200, size);
          try (OutputStream out = x.getResponseBody()) {
            Files.copy(f, out);
          }
        }
      }
      default -> throw new S3Store.S3Error(405, "MethodNotAllowed", method);
    }
  }

  private void list(HttpExchange x, String bucket, String prefix)
      throws IOException, S3Store.S3Error {
    List<S3Store.ObjectInfo> objects = store.list(bucket, prefix);
    StringBuilder b =
        new StringBuilder("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    b.append("<Name>")
        .append(S3Http.xml(bucket))
        .append("</Name><Prefix>")
        .append(S3Http.xml(prefix))
        .append("</Prefix>");
    b.append("<KeyCount>")
        .append(objects.size())
        .append("</KeyCount><MaxKeys>100000</MaxKeys><IsTruncated>false</IsTruncated>");
    for (S3Store.ObjectInfo o : objects) {
      b.append("<Contents><Key>")
          .append(S3Http.xml(o.key()))
          .append("</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><Size>")
          .append(o.size())
          .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
    }
    S3Http.respond(x, 200, b.append("</ListBucketResult>").toString());
  }
}
