package dev.firelensrouter.sandbox;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Checks a request's Signature Version 4 against known credentials, as the service does before
 * anything else: the request is signed again, with the SDK's signer, from what arrived (the headers
 * it names as signed, its path and the body as received) at the time it carries, and the two
 * signatures must be equal. A body changed after signing, or signed other than it was sent, fails
 * here as it would in AWS.
 */
final class SignatureCheck {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final AwsCredentialsIdentity credentials;

  SignatureCheck(AwsCredentialsIdentity credentials) {
    this.credentials = credentials;
  }

  /** Throws what AWS answers when the request's signature is missing, foreign or wrong. */
  void check(String method, URI uri, Headers headers, byte[] body) throws JsonApiEmulator.ApiError {
    String authorization = headers.getFirst("Authorization");
    String date = headers.getFirst("X-Amz-Date");
    if (authorization == null || date == null) {
      throw new JsonApiEmulator.ApiError(
          400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      throw new JsonApiEmulator.ApiError(
          400, "IncompleteSignatureException", "Authorization header is not a SigV4 signature");
    }
    if (!m.group(1).equals(credentials.accessKeyId())) {
      throw new JsonApiEmulator.ApiError(
          400,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(date));
    } catch (DateTimeParseException e) {
      throw new JsonApiEmulator.ApiError(
          400, "IncompleteSignatureException", "X-Amz-Date is not a date: " + date);
    }
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .uri(URI.create("http://" + headers.getFirst("Host") + uri.getRawPath()));
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        request.appendRawQueryParameter(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    for (String name : m.group(5).split(";")) {
      for (Map.Entry<String, java.util.List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          h.getValue().forEach(v -> request.appendHeader(name, v));
        }
      }
    }
    String expected =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, m.group(4))
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
            .request()
            .firstMatchingHeader("Authorization")
            .orElse("");
    if (!expected.endsWith("Signature=" + m.group(6))) {
      throw new JsonApiEmulator.ApiError(
          403,
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method. Consult the service documentation"
              + " for details.");
    }
  }
}
