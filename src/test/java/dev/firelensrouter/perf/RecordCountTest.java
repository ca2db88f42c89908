package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCountTest {
  @TempDir Path dir;

  @Test
  void countsLossDuplicatesAndReorderAcrossFilesObjectsAndCloudWatchLines() throws Exception {
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(
        dir.resolve("out/a.jsonl"),
        line("0-0") + line("0-2") + line("0-1") + "not json\n" + line("3-1705730-170645"));
    Path object = dir.resolve("sandbox-data/s3/bucket/logs/x.jsonl.gz");
    Files.createDirectories(object.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(object))) {
      out.write((line("1-0") + line("1-1") + line("0-2")).getBytes(StandardCharsets.UTF_8));
    }
    Path stream = dir.resolve("sandbox-data/cloudwatch/g/s.jsonl");
    Files.createDirectories(stream.getParent());
    Files.writeString(stream, "{\"timestamp\":1,\"message\":\"{\\\"lg_id\\\":\\\"1-2\\\"}\"}\n");

    RecordCount.Result r =
        RecordCount.scan(List.of(dir.resolve("out"), dir.resolve("sandbox-data")))
            .against(new long[] {4, 3});

    assertThat(r.delivered()).isEqualTo(6);
    assertThat(r.missing()).as("0-3 was acked but never arrived").isEqualTo(1);
    assertThat(r.duplicates()).as("0-2 arrived twice").isEqualTo(1);
    assertThat(r.reordered()).as("0-1 after 0-2 in a.jsonl").isEqualTo(1);
    assertThat(r.unreadable()).as("not JSON, and an id two writers interleaved").isEqualTo(2);
  }

  @Test
  void cloudWatchIngestionTimesGiveEndToEndLatency() throws Exception {
    Path stream = dir.resolve("cloudwatch/g/s.jsonl");
    Files.createDirectories(stream.getParent());
    // Sent at 1,000 ms (in ns), ingested at 1,250 ms and 1,040 ms.
    Files.writeString(
        stream,
        "{\"timestamp\":1,\"message\":\"{\\\"lg_id\\\":\\\"0-0\\\",\\\"lg_sent_ns\\\":1000000000}\","
            + "\"ingestionTime\":1250}\n"
            + "{\"timestamp\":1,\"message\":\"{\\\"lg_id\\\":\\\"0-1\\\",\\\"lg_sent_ns\\\":1000000000}\","
            + "\"ingestionTime\":1040}\n");
    RecordCount.Result r =
        RecordCount.scan(List.of(dir.resolve("cloudwatch"))).against(new long[] {2});
    assertThat(r.delivered()).isEqualTo(2);
    assertThat(r.endToEnd().count()).isEqualTo(2);
    assertThat(r.endToEnd().quantileMillis(1.0)).isEqualTo(250.0);
    assertThat(r.endToEnd().quantileMillis(0.5)).isEqualTo(40.0);
  }

  private static String line(String id) {
    return "{\"log\":\"x\",\"lg_id\":\"" + id + "\",\"lg_sent_ns\":1}\n";
  }
}
