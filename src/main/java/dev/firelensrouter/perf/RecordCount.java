package dev.firelensrouter.perf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.luben.zstd.ZstdInputStream;
import dev.firelensrouter.loadgen.LatencySamples;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Counts the load generator's records wherever the router put them (file outputs, the sandbox's
 * stores), by their {@code lg_id} ("connection-sequence"): how often each arrived, and how often a
 * stream (one file or object) had a connection's records out of order.
 */
final class RecordCount {
  private static final JsonFactory JSON = new JsonFactory();

  /** Arrivals per connection: seq -> times seen. */
  private final Map<Integer, Map<Long, Integer>> seen = new HashMap<>();

  /** Send to arrival, where the store records arrival (CloudWatch's ingestionTime). */
  private final LatencySamples endToEnd = new LatencySamples(1 << 20);

  private long reordered;
  private long lines;
  private long unreadable;

  static RecordCount scan(List<Path> roots) throws IOException {
    RecordCount count = new RecordCount();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          String name = f.getFileName().toString();
          if (name.endsWith(".meta") || name.endsWith(".json") && !name.endsWith(".jsonl")) {
            continue;
          }
          count.scanFile(f);
        }
      }
    }
    return count;
  }

  private void scanFile(Path f) throws IOException {
    Map<Integer, Long> lastSeq = new HashMap<>();
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = decoded(f, raw);
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String line;
      while ((line = r.readLine()) != null) {
        Parsed parsed = parse(line);
        String id = parsed == null ? null : parsed.id();
        if (parsed != null && parsed.sentNanos() > 0 && parsed.ingestionMillis() > 0) {
          endToEnd.add(Math.max(0, parsed.ingestionMillis() * 1_000_000L - parsed.sentNanos()));
        }
        int dash = id == null ? -1 : id.indexOf('-');
        int conn;
        long seq;
        try {
          conn = Integer.parseInt(id.substring(0, dash));
          seq = Long.parseLong(id.substring(dash + 1));
        } catch (RuntimeException e) {
          // No id, or one the load generator never sent (a line two writers interleaved).
          unreadable++;
          continue;
        }
        lines++;
        seen.computeIfAbsent(conn, c -> new HashMap<>()).merge(seq, 1, Integer::sum);
        Long last = lastSeq.put(conn, seq);
        if (last != null && seq < last) {
          reordered++;
        }
      }
    } catch (IOException e) {
      unreadable++;
    }
  }

  private static InputStream decoded(Path f, InputStream raw) throws IOException {
    String name = f.getFileName().toString();
    if (name.endsWith(".gz")) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    if (name.endsWith(".zst")) {
      return new ZstdInputStream(raw);
    }
    return raw;
  }

  /** {@code lg_id} of a JSON line, also when the record is a JSON string in a "message" field. */
  static String idOf(String line) {
    Parsed p = parse(line);
    return p == null ? null : p.id();
  }

  /**
   * What a stored line says: the record's {@code lg_id} and {@code lg_sent_ns} (also inside a
   * "message" string, as CloudWatch keeps them), and CloudWatch's {@code ingestionTime} if any.
   */
  record Parsed(String id, long sentNanos, long ingestionMillis) {}

  static Parsed parse(String line) {
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String message = null;
      long sent = 0;
      long ingestion = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("lg_id") && value == JsonToken.VALUE_STRING) {
          id = p.getText();
        } else if (field.equals("lg_sent_ns") && value == JsonToken.VALUE_NUMBER_INT) {
          sent = p.getLongValue();
        } else if (field.equals("ingestionTime") && value == JsonToken.VALUE_NUMBER_INT) {
          ingestion = p.getLongValue();
        } else if (field.equals("message") && value == JsonToken.VALUE_STRING) {
          message = p.getText();
        }
        p.skipChildren();
      }
      if (id == null && message != null && message.startsWith("{")) {
        Parsed inner = parse(message);
        if (inner != null) {
          return new Parsed(inner.id(), inner.sentNanos(), ingestion);
        }
      }
      return id == null ? null : new Parsed(id, sent, ingestion);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Expected ids: {@code c-0 .. c-(sent[c]-1)}. Records beyond were sent but never acked. */
  Result against(long[] sent) {
    long missing = 0;
    long duplicates = 0;
    long delivered = 0;
    for (int c = 0; c < sent.length; c++) {
      Map<Long, Integer> m = seen.getOrDefault(c, Map.of());
      for (long s = 0; s < sent[c]; s++) {
        Integer n = m.get(s);
        if (n == null) {
          missing++;
        } else {
          delivered++;
          duplicates += n - 1;
        }
      }
    }
    return new Result(lines, delivered, missing, duplicates, reordered, unreadable, endToEnd);
  }

  /** What the stores hold, against what the load generator had acknowledged. */
  record Result(
      long lines,
      long delivered,
      long missing,
      long duplicates,
      long reordered,
      long unreadable,
      LatencySamples endToEnd) {
    @Override
    public String toString() {
      return "Result[lines=%d, delivered=%d, missing=%d, duplicates=%d, reordered=%d, unreadable=%d]"
          .formatted(lines, delivered, missing, duplicates, reordered, unreadable);
    }
  }
}
