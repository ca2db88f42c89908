package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Firehose on loopback: PutRecordBatch (at most 500 records, 4 MiB, 1,000 KiB per record),
 * PutRecord and DescribeDeliveryStream. Any stream name exists unless {@link #onlyStreams} says
 * otherwise. A partial-failure ratio makes that share of records fail inside an HTTP 200 ({@code
 * FailedPutCount}, per-record {@code ErrorCode}), as the service does. Accepted records are
 * appended, decoded, to {@code DIR/firehose/<stream>.jsonl}.
 */
public final class FirehoseEmulator extends JsonApiEmulator {
  /** One record's data before base64: 1,000 KiB. */
  static final int MAX_RECORD = 1_000 * 1024;

  /** A whole PutRecordBatch request as it comes over the wire (records in base64): 4 MiB. */
  static final int MAX_REQUEST = 4 * 1024 * 1024;

  private Path dir;
  private volatile java.util.Set<String> existing;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong recordsAccepted = new AtomicLong();
  private final AtomicLong largestCallRecords = new AtomicLong();
  private final AtomicLong largestCallBytes = new AtomicLong();

  public FirehoseEmulator() {
    super("Firehose_20150804", "ServiceUnavailableException", 503);
  }

  public URI start(Path root) throws IOException {
    this.dir = root.resolve("firehose");
    Files.createDirectories(dir);
    return startServer();
  }

  /** This share of records fails with ServiceUnavailableException inside successful calls. */
  public void partialFailures(double ratio) {
    faults(faults().withPartialFailures(ratio));
  }

  /** PutRecordBatch calls accepted so far. */
  public long calls() {
    return calls.get();
  }

  /** Firehose records accepted so far (an aggregated record counts once). */
  public long records() {
    return recordsAccepted.get();
  }

  /** The most records one accepted call held. */
  public long largestCallRecords() {
    return largestCallRecords.get();
  }

  /** The largest accepted request body, in bytes, as it came over the wire. */
  public long largestCallBytes() {
    return largestCallBytes.get();
  }

  /**
   * From now on only these delivery streams exist: calls naming another are answered {@code
   * ResourceNotFoundException}, as for a stream that was never created or was deleted. By default
   * every name exists, so {@code run --sandbox} takes any config.
   */
  public void onlyStreams(java.util.Set<String> names) {
    this.existing = java.util.Set.copyOf(names);
  }

  @Override
  byte[] answer(String operation, byte[] raw) throws ApiError, IOException {
    if (!operation.equals("PutRecordBatch")) {
      return super.answer(operation, raw);
    }
    // Read as a stream, each record's base64 decoded straight from the request bytes: a tree of
    // 500 text nodes per call made this emulator, not the output under test, the limit of a load
    // test on a small machine.
    PutRecordBatch put = PutRecordBatch.read(raw);
    exists(put.stream);
    if (raw.length > MAX_REQUEST) {
      throw new ApiError(
          400,
          "InvalidArgumentException",
          "Request of " + raw.length + " bytes is over the 4 MiB limit");
    }
    double failureRatio = faults().partialFailures();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    boolean[] failed = new boolean[put.records.size()];
    int failures = 0;
    java.io.ByteArrayOutputStream accepted = new java.io.ByteArrayOutputStream(raw.length);
    for (int i = 0; i < failed.length; i++) {
      failed[i] = random.nextDouble() < failureRatio;
      if (failed[i]) {
        failures++;
      } else {
        accepted.write(put.records.get(i));
      }
    }
    synchronized (this) {
      calls.incrementAndGet();
      recordsAccepted.addAndGet(failed.length - failures);
      largestCallRecords.accumulateAndGet(failed.length, Math::max);
      largestCallBytes.accumulateAndGet(raw.length, Math::max);
      // One append per call: opening the file per record made the emulator, not the output
      // under test, the limit of a load test.
      append(put.stream, accepted.toByteArray());
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + 52 * failed.length);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("FailedPutCount", failures);
      g.writeBooleanField("Encrypted", false);
      g.writeArrayFieldStart("RequestResponses");
      for (boolean f : failed) {
        g.writeStartObject();
        if (f) {
          g.writeStringField("ErrorCode", "ServiceUnavailableException");
          g.writeStringField("ErrorMessage", "Slow down.");
        } else {
          g.writeStringField("RecordId", randomId());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Override
  synchronized JsonNode handle(String operation, JsonNode req, byte[] raw)
      throws ApiError, IOException {
    String stream = req.path("DeliveryStreamName").asText();
    exists(stream);
    switch (operation) {
      case "DescribeDeliveryStream" -> {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("DeliveryStreamDescription")
            .put("DeliveryStreamName", stream)
            .put("DeliveryStreamStatus", "ACTIVE");
        return out;
      }
      case "PutRecord" -> {
        byte[] data = decode(req.path("Record").path("Data").asText());
        if (data.length > MAX_RECORD) {
          throw tooLarge("record.data");
        }
        append(stream, data);
        return JSON.createObjectNode().put("RecordId", randomId()).put("Encrypted", false);
      }
      default -> throw new ApiError(400, "UnknownOperationException", operation);
    }
  }

  private void exists(String stream) throws ApiError {
    java.util.Set<String> names = existing;
    if (names != null && !names.contains(stream)) {
      throw new ApiError(
          400,
          "ResourceNotFoundException",
          "Firehose " + stream + " under account 123456789012 not found.");
    }
  }

  private static ApiError tooLarge(String member) {
    return validation(member, "Member must have length less than or equal to " + MAX_RECORD);
  }

  /** A model-constraint failure, worded as AWS words them. */
  private static ApiError validation(String member, String constraint) {
    return new ApiError(
        400,
        "ValidationException",
        "1 validation error detected: Value at '"
            + member
            + "' failed to satisfy constraint: "
            + constraint);
  }

  private static byte[] decode(String base64) throws ApiError {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw notBase64();
    }
  }

  private static ApiError notBase64() {
    return new ApiError(400, "SerializationException", "Data is not base64");
  }

  /** A PutRecordBatch request: its stream and each record's data, decoded. */
  private record PutRecordBatch(String stream, List<byte[]> records) {
    static PutRecordBatch read(byte[] raw) throws ApiError, IOException {
      String stream = null;
      List<byte[]> records = null;
      try (JsonParser p = JSON.getFactory().createParser(raw)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new ApiError(400, "SerializationException", "The request is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String member = p.currentName();
          JsonToken value = p.nextToken();
          switch (member) {
            case "DeliveryStreamName" ->
                stream = value == JsonToken.VALUE_STRING ? p.getText() : null;
            case "Records" -> records = value == JsonToken.START_ARRAY ? records(p, raw) : null;
            default -> p.skipChildren();
          }
        }
      }
      if (stream == null) {
        throw validation("deliveryStreamName", "Member must not be null");
      }
      if (records == null || records.isEmpty()) {
        throw validation("records", "Member must have length greater than or equal to 1");
      }
      if (records.size() > 500) {
        throw validation("records", "Member must have length less than or equal to 500");
      }
      return new PutRecordBatch(stream, records);
    }

    /** The records of the array the parser is at, up to its end. */
    private static List<byte[]> records(JsonParser p, byte[] raw) throws ApiError, IOException {
      List<byte[]> records = new ArrayList<>(500);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String member = "records." + (records.size() + 1) + ".member.data";
        byte[] data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          JsonToken value = p.nextToken();
          if (p.currentName().equals("Data") && value == JsonToken.VALUE_STRING) {
            data = base64(p, raw);
          } else {
            p.skipChildren();
          }
        }
        if (data == null) {
          throw validation(member, "Member must not be null");
        }
        if (data.length > MAX_RECORD) {
          throw tooLarge(member);
        }
        records.add(data);
      }
      return records;
    }

    /**
     * The string the parser is at, decoded from base64. Straight from the request's bytes when the
     * string has no escapes, as the SDK sends it: Jackson's own base64 decoding, or a String made
     * first, cost more than the rest of the emulator.
     */
    private static byte[] base64(JsonParser p, byte[] raw) throws ApiError, IOException {
      long open = p.currentTokenLocation().getByteOffset();
      int close = (int) open + 1;
      while (open >= 0 && close < raw.length && raw[close] != '"' && raw[close] != '\\') {
        close++;
      }
      if (open < 0 || raw[(int) open] != '"' || close >= raw.length || raw[close] != '"') {
        return decode(p.getText());
      }
      try {
        return Base64.getDecoder().decode(Arrays.copyOfRange(raw, (int) open + 1, close));
      } catch (IllegalArgumentException e) {
        throw notBase64();
      }
    }
  }

  private void append(String stream, byte[] data) throws IOException {
    Path file = dir.resolve(URLEncoder.encode(stream, StandardCharsets.UTF_8) + ".jsonl");
    try (OutputStream out =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      // As Firehose does: records are concatenated as they are, delimiters are the sender's job.
      out.write(data);
    }
  }
}
