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
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CloudWatch Logs on loopback: CreateLogGroup, CreateLogStream, PutRetentionPolicy,
 * DescribeLogGroups, DeleteLogGroup, DeleteLogStream, PutLogEvents and GetLogEvents, enforcing the
 * PutLogEvents rules (at most 10,000 events and 1,048,576 bytes counting 26 per event,
 * chronological order, a span under 24 h, events within 14 days back and 2 hours ahead: older and
 * newer ones, and those older than the group's retention, are reported in {@code
 * rejectedLogEventsInfo}). Accepted events are appended to {@code
 * DIR/cloudwatch/<group>/<stream>.jsonl} as {@code {"timestamp","message","ingestionTime"}} lines.
 */
public final class LogsEmulator extends JsonApiEmulator {
  /** The periods PutRetentionPolicy accepts, as CloudWatch Logs lists them. */
  private static final java.util.List<Integer> RETENTION_DAYS =
      java.util.List.of(
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
          2922, 3288, 3653);

  /** Group to its streams; the events themselves are only in the files, not in memory. */
  private final Map<String, Set<String>> groups = new ConcurrentHashMap<>();

  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private final AtomicLong puts = new AtomicLong();
  private final AtomicLong largestBatchEvents = new AtomicLong();
  private final AtomicLong largestBatchBytes = new AtomicLong();
  private final Map<String, Integer> retention = new ConcurrentHashMap<>();

  /** Streams just created, and how many more PutLogEvents still find them missing. */
  private final Map<String, Integer> unseen = new ConcurrentHashMap<>();

  private int notFoundAfterCreate;
  private Path dir;

  public LogsEmulator() {
    super("Logs_20140328", "ThrottlingException", 400);
  }

  public URI start(Path root) throws IOException {
    this.dir = root.resolve("cloudwatch");
    Files.createDirectories(dir);
    return startServer();
  }

  /** PutLogEvents calls accepted so far. */
  public long puts() {
    return puts.get();
  }

  /** The most events one accepted PutLogEvents call held. */
  public long largestBatchEvents() {
    return largestBatchEvents.get();
  }

  /** The most bytes (messages in UTF-8 + 26 per event) one accepted call held. */
  public long largestBatchBytes() {
    return largestBatchBytes.get();
  }

  /**
   * The next {@code calls} PutLogEvents to each stream created from now on answer {@code
   * ResourceNotFoundException}, as CloudWatch Logs sometimes does right after a create (the new
   * stream is not visible everywhere yet).
   */
  public synchronized void notFoundAfterCreate(int calls) {
    this.notFoundAfterCreate = calls;
  }

  /** The retention PutRetentionPolicy set on {@code group}, if any. */
  public java.util.OptionalInt retentionDays(String group) {
    Integer days = retention.get(group);
    return days == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(days);
  }

  /** Deletes a group and its streams, as a user would in the console (tests of re-creation). */
  public void deleteLogGroup(String group) {
    groups.remove(group);
  }

  /**
   * Every call on this group is answered {@code AccessDeniedException}, as when the task role's
   * policy does not cover it.
   */
  public void denyGroup(String group) {
    denied.add(group);
  }

  /** Calls on this group are allowed again, as after the task role's policy was fixed. */
  public void allowGroup(String group) {
    denied.remove(group);
  }

  @Override
  synchronized JsonNode handle(String operation, JsonNode req, byte[] raw)
      throws ApiError, IOException {
    String group = req.path("logGroupName").asText();
    if (denied.contains(group)) {
      throw new ApiError(
          400,
          "AccessDeniedException",
          "User: arn:aws:sts::123456789012:assumed-role/task/abc is not authorized to perform: logs:"
              + operation
              + " on resource: "
              + group);
    }
    switch (operation) {
      case "CreateLogGroup" -> {
        if (groups.putIfAbsent(group, ConcurrentHashMap.newKeySet()) != null) {
          throw new ApiError(
              400, "ResourceAlreadyExistsException", "The specified log group already exists");
        }
        return null;
      }
      case "DeleteLogGroup" -> {
        if (groups.remove(group) == null) {
          throw new ApiError(
              400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        return null;
      }
      case "PutRetentionPolicy" -> {
        streams(group);
        int days = req.path("retentionInDays").asInt();
        if (!RETENTION_DAYS.contains(days)) {
          throw new ApiError(
              400,
              "InvalidParameterException",
              "1 validation error detected: Value '"
                  + days
                  + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum"
                  + " value set: "
                  + RETENTION_DAYS);
        }
        retention.put(group, days);
        return null;
      }
      case "CreateLogStream" -> {
        String stream = req.path("logStreamName").asText();
        if (!streams(group).add(stream)) {
          throw new ApiError(
              400, "ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        if (notFoundAfterCreate > 0) {
          unseen.put(group + '\n' + stream, notFoundAfterCreate);
        }
        return null;
      }
      case "DescribeLogGroups" -> {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("logGroups");
        String prefix = req.path("logGroupNamePrefix").asText("");
        groups.keySet().stream()
            .filter(g -> g.startsWith(prefix))
            .sorted()
            .forEach(
                g -> {
                  ObjectNode n = list.addObject().put("logGroupName", g);
                  if (retention.containsKey(g)) {
                    n.put("retentionInDays", retention.get(g));
                  }
                });
        return out;
      }
      case "DeleteLogStream" -> {
        if (!streams(group).remove(req.path("logStreamName").asText())) {
          throw new ApiError(
              400, "ResourceNotFoundException", "The specified log stream does not exist.");
        }
        return null;
      }
      case "GetLogEvents" -> {
        String name = req.path("logStreamName").asText();
        stream(group, name);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        Path file = file(group, name);
        if (Files.exists(file)) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            events.add(JSON.readTree(line));
          }
        }
        return out;
      }
      case "PutLogEvents" -> {
        return put(group, req.path("logStreamName").asText(), req.path("logEvents"));
      }
      default -> throw new ApiError(400, "UnknownOperationException", operation);
    }
  }

  private Set<String> streams(String group) throws ApiError {
    Set<String> s = groups.get(group);
    if (s == null) {
      throw new ApiError(
          400, "ResourceNotFoundException", "The specified log group does not exist.");
    }
    return s;
  }

  private void stream(String group, String stream) throws ApiError {
    if (!streams(group).contains(stream)) {
      throw new ApiError(
          400, "ResourceNotFoundException", "The specified log stream does not exist.");
    }
  }

  private Path file(String group, String stream) {
    return dir.resolve(encode(group)).resolve(encode(stream) + ".jsonl");
  }

  private JsonNode put(String group, String streamName, JsonNode events)
      throws ApiError, IOException {
    stream(group, streamName);
    Integer stillUnseen = unseen.remove(group + '\n' + streamName);
    if (stillUnseen != null) {
      if (stillUnseen > 1) {
        unseen.put(group + '\n' + streamName, stillUnseen - 1);
      }
      throw new ApiError(
          400, "ResourceNotFoundException", "The specified log stream does not exist.");
    }
    if (!events.isArray() || events.isEmpty() || events.size() > 10_000) {
      throw new ApiError(400, "InvalidParameterException", "logEvents must hold 1 to 10000 events");
    }
    long bytes = 0;
    long first = events.get(0).path("timestamp").asLong();
    long prev = first;
    for (JsonNode e : events) {
      long ts = e.path("timestamp").asLong();
      if (ts < prev) {
        throw new ApiError(
            400,
            "InvalidParameterException",
            "Log events in a single PutLogEvents request must be in chronological order.");
      }
      prev = ts;
      int size = e.path("message").asText().getBytes(StandardCharsets.UTF_8).length + 26;
      if (size == 26) {
        throw new ApiError(
            400,
            "InvalidParameterException",
            "1 validation error detected: Value at 'logEvents.member.message' failed to satisfy"
                + " constraint: Member must have length greater than or equal to 1");
      }
      if (size > 1_048_576) {
        throw new ApiError(
            400,
            "InvalidParameterException",
            "Log event too large: " + size + " bytes exceeds limit of 1048576");
      }
      bytes += size;
    }
    if (bytes > 1_048_576) {
      throw new ApiError(
          400,
          "InvalidParameterException",
          "Upload too large: " + bytes + " bytes exceeds the limit of 1048576 bytes");
    }
    if (prev - first >= Duration.ofHours(24).toMillis()) {
      throw new ApiError(
          400,
          "InvalidParameterException",
          "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    }
    long now = System.currentTimeMillis();
    long oldest = now - Duration.ofDays(14).toMillis();
    long newest = now + Duration.ofHours(2).toMillis();
    Integer days = retention.get(group);
    long expiredBefore = days == null ? Long.MIN_VALUE : now - Duration.ofDays(days).toMillis();
    int tooOldEnd = -1;
    int expiredEnd = -1;
    int tooNewStart = -1;
    long ingested = System.currentTimeMillis();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      long ts = e.path("timestamp").asLong();
      if (ts < oldest) {
        tooOldEnd = i + 1; // exclusive, as AWS reports it
        continue;
      }
      if (ts < expiredBefore) {
        expiredEnd = i + 1; // older than the group's retention: exclusive too
        continue;
      }
      if (ts > newest) {
        if (tooNewStart < 0) {
          tooNewStart = i;
        }
        continue;
      }
      ObjectNode kept =
          JSON.createObjectNode()
              .put("timestamp", ts)
              .put("message", e.path("message").asText())
              .put("ingestionTime", ingested);
      lines.append(JSON.writeValueAsString(kept)).append('\n');
    }
    Path file = file(group, streamName);
    Files.createDirectories(file.getParent());
    try (OutputStream out =
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
    puts.incrementAndGet();
    largestBatchEvents.accumulateAndGet(events.size(), Math::max);
    largestBatchBytes.accumulateAndGet(bytes, Math::max);
    ObjectNode answer = JSON.createObjectNode();
    if (tooOldEnd >= 0 || expiredEnd >= 0 || tooNewStart >= 0) {
      ObjectNode info = answer.putObject("rejectedLogEventsInfo");
      if (expiredEnd >= 0) {
        info.put("expiredLogEventEndIndex", expiredEnd);
      }
      if (tooOldEnd >= 0) {
        info.put("tooOldLogEventEndIndex", tooOldEnd);
      }
      if (tooNewStart >= 0) {
        info.put("tooNewLogEventStartIndex", tooNewStart);
      }
    }
    return answer;
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }
}
