package dev.firelensrouter.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a passing run the counted records go; the report and the router's own data stay. */
class RemoveStoresTest {
  @TempDir Path results;

  private Path file(String path) throws Exception {
    Path p = results.resolve(path);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, "x");
  }

  @Test
  void theOutputsStoresOfBothRunsGoAndTheReportsAndDataStay() throws Exception {
    file("run/sandbox-data/firehose/lake/records.jsonl");
    file("run/out/app.jsonl");
    Path deadLetters = file("run/data/dead-letter/lake.jsonl");
    file("fluent-bit/sandbox-data/cloudwatch/g/s.jsonl");
    Path report = file("report.md");
    Path fbLog = file("fluent-bit/fluent-bit.log");

    PerfRunner.removeStores(results);

    assertThat(results.resolve("run/sandbox-data")).doesNotExist();
    assertThat(results.resolve("run/out")).doesNotExist();
    assertThat(results.resolve("fluent-bit/sandbox-data")).doesNotExist();
    assertThat(deadLetters).exists();
    assertThat(report).exists();
    assertThat(fbLog).exists();
  }
}
