package dev.firelensrouter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.UUID;
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
  private java.util.Set<String> existing;
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
  public synchronized void onlyStreams(java.util.Set<String> names) {
    this.existing = java.util.Set.copyOf(names);
  }

  @Override
  synchronized JsonNode handle(String operation, JsonNode req, byte[] raw)
      throws ApiError, IOException {
    String stream = req.path("DeliveryStreamName").asText();
    if (existing != null && !existing.contains(stream)) {
      throw new ApiError(
          400,
          "ResourceNotFoundException",
          "Firehose " + stream + " under account 123456789012 not found.");
    }
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
        append(stream, data);
        return JSON.createObjectNode()
            .put("RecordId", UUID.randomUUID().toString())
            .put("Encrypted", false);
      }
      case "PutRecordBatch" -> {
        JsonNode records = req.path("Records");
        if (!records.isArray() || records.isEmpty() || records.size() > 500) {
          throw new ApiError(400, "InvalidArgumentException", "Records must hold 1 to 500 records");
        }
        byte[][] data = new byte[records.size()][];
        for (int i = 0; i < data.length; i++) {
          data[i] = decode(records.get(i).path("Data").asText());
          if (data[i].length > MAX_RECORD) {
            throw new ApiError(
                400, "InvalidArgumentException", "Record " + i + " is larger than 1000 KiB");
          }
        }
        if (raw.length > MAX_REQUEST) {
          throw new ApiError(
              400,
              "InvalidArgumentException",
              "Request of " + raw.length + " bytes is over the 4 MiB limit");
        }
        calls.incrementAndGet();
        largestCallRecords.accumulateAndGet(data.length, Math::max);
        largestCallBytes.accumulateAndGet(raw.length, Math::max);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode responses = out.putArray("RequestResponses");
        int failed = 0;
        java.io.ByteArrayOutputStream accepted = new java.io.ByteArrayOutputStream(raw.length);
        for (byte[] d : data) {
          if (ThreadLocalRandom.current().nextDouble() < faults().partialFailures()) {
            failed++;
            responses
                .addObject()
                .put("ErrorCode", "ServiceUnavailableException")
                .put("ErrorMessage", "Slow down.");
          } else {
            accepted.write(d);
            recordsAccepted.incrementAndGet();
            responses.addObject().put("RecordId", UUID.randomUUID().toString());
          }
        }
        // One append per call: opening the file per record made the emulator, not the output
        // under test, the limit of a load test.
        append(stream, accepted.toByteArray());
        out.put("FailedPutCount", failed);
        out.put("Encrypted", false);
        return out;
      }
      default -> throw new ApiError(400, "UnknownOperationException", operation);
    }
  }

  private static byte[] decode(String base64) throws ApiError {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "SerializationException", "Data is not base64");
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
