package dev.firelensrouter.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP side of the sandbox S3: bodies, query strings, XML answers and S3's XML errors. */
final class S3Http {
  private static final Pattern PART =
      Pattern.compile(
          "<PartNumber>(\\d+)</PartNumber>\\s*<ETag>([^<]*)</ETag>|<ETag>([^<]*)</ETag>\\s*<PartNumber>(\\d+)</PartNumber>");

  private S3Http() {}

  static List<S3Store.CompletedPart> parts(String xml) {
    List<S3Store.CompletedPart> parts = new ArrayList<>();
    Matcher m = PART.matcher(xml);
    while (m.find()) {
      if (m.group(1) != null) {
        parts.add(new S3Store.CompletedPart(Integer.parseInt(m.group(1)), unxml(m.group(2))));
      } else {
        parts.add(new S3Store.CompletedPart(Integer.parseInt(m.group(4)), unxml(m.group(3))));
      }
    }
    return parts;
  }

  /** The request body, with the SDK's aws-chunked encoding removed. */
  static InputStream body(HttpExchange x) throws IOException {
    String sha = x.getRequestHeaders().getFirst("x-amz-content-sha256");
    String enc = x.getRequestHeaders().getFirst("Content-Encoding");
    boolean chunked =
        (sha != null && sha.startsWith("STREAMING-"))
            || (enc != null && enc.contains("aws-chunked"));
    if (!chunked) {
      return x.getRequestBody();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    S3ChunkedBody.decode(new BufferedInputStream(x.getRequestBody(), 64 * 1024), out);
    return new java.io.ByteArrayInputStream(out.toByteArray());
  }

  static void drain(HttpExchange x) throws IOException {
    x.getRequestBody().transferTo(OutputStream.nullOutputStream());
  }

  static void error(HttpExchange x, S3Store.S3Error e) throws IOException {
    String id = requestId();
    x.getResponseHeaders().add("x-amz-request-id", id);
    String body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + e.code
            + "</Code><Message>"
            + xml(e.getMessage())
            + "</Message><RequestId>"
            + id
            + "</RequestId></Error>";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/xml");
    x.sendResponseHeaders(e.status, x.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
    if (!x.getRequestMethod().equals("HEAD")) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
    x.close();
  }

  static void respond(HttpExchange x, int status, String xmlBody) throws IOException {
    x.getResponseHeaders().add("x-amz-request-id", requestId());
    if (xmlBody.isEmpty()) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xmlBody).getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/xml");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String requestId() {
    return UUID.randomUUID()
        .toString()
        .replace("-", "")
        .substring(0, 16)
        .toUpperCase(java.util.Locale.ROOT);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      q.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return q;
  }

  static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static String unxml(String s) {
    return s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
