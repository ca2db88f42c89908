package dev.firelensrouter.sink.s3;

import static dev.firelensrouter.sink.s3.S3TestRig.range;
import static dev.firelensrouter.sink.s3.S3TestRig.send;
import static dev.firelensrouter.sink.s3.S3TestRig.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.sandbox.S3Emulator;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.testing.Await;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that dies without draining (kill -9, OOM) leaves its staging files; the next process on
 * the same data dir uploads every acked record exactly once. (Simulated in one JVM: the first
 * destination is dropped without drain and its timers stopped.)
 */
class S3CrashRecoveryTest {
  private static final String OPTIONS =
      """
      bucket: logs
      key: "app/{{ tag }}/{{ index }}.jsonl.gz"
      upload_after: 1h
      max_object_size: 1GiB
      """;

  @TempDir Path sandboxDir;
  @TempDir Path dataDir;
  private final S3Emulator s3 = new S3Emulator();
  private S3TestRig rig;

  @BeforeEach
  void start() throws Exception {
    URI endpoint = s3.start(sandboxDir);
    s3.createBucket("logs");
    rig = new S3TestRig(dataDir, endpoint);
  }

  @AfterEach
  void stop() {
    rig.close();
    s3.stop();
  }

  /** Stages records 0..n-1 with a destination that then dies without drain. */
  private void stageAndCrash(int n) {
    ScheduledExecutorService doomed = Executors.newSingleThreadScheduledExecutor();
    Destination first = rig.start(OPTIONS, doomed);
    List<ChunkTicket> tickets = send(first, "web", 0, n / 2, 20);
    tickets.addAll(send(first, "db", n / 2, n, 20));
    assertThat(tickets).allMatch(ChunkTicket::isComplete);
    doomed.shutdownNow();
    assertThat(rig.list("logs")).isEmpty();
  }

  @Test
  void everyAckedRecordIsUploadedExactlyOnceAfterACrash() {
    stageAndCrash(1000);

    Destination next = rig.start(OPTIONS);
    DrainReport report = next.drain(Instant.now().plusSeconds(20));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.GZIP))).isEqualTo(range(0, 1000));
    assertThat(rig.list("logs"))
        .extracting(o -> o.key())
        .containsExactlyInAnyOrder("app/web/0.jsonl.gz", "app/db/1.jsonl.gz");
    assertThat(rig.counter("firelens_router_s3_recovery_records_lost")).isZero();
    assertThat(stagingFiles()).isEmpty();
  }

  @Test
  void aTornCompressedTailIsCutAtTheLastCompleteRecordAndCounted() throws IOException {
    stageAndCrash(1000);
    Path web = null;
    for (Path p : stagingFiles()) {
      if (Files.readString(p.resolveSibling(p.getFileName().toString().replace(".data", ".json")))
          .contains("app/web/")) {
        web = p;
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(web.toFile(), "rw")) {
      f.setLength(f.length() - 20);
    }

    Destination next = rig.start(OPTIONS);
    DrainReport report = next.drain(Instant.now().plusSeconds(20));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    List<Integer> found = seqs(rig.lines("logs", Compression.GZIP));
    int webKept = (int) found.stream().filter(i -> i < 500).count();
    assertThat(webKept).isBetween(400, 499);
    assertThat(found).isEqualTo(concat(range(0, webKept), range(500, 1000)));
    assertThat(rig.counter("firelens_router_s3_recovery_records_lost")).isEqualTo(1);
  }

  @Test
  void aStagingFileWhoseStateCannotBeReadIsUploadedAfreshAndCounted() throws IOException {
    stageAndCrash(1000);
    Path webState = stateOf("app/web/");
    String id = webState.getFileName().toString().replace(".json", "");
    byte[] state = Files.readAllBytes(webState);
    // A torn state file, as a write cut short without the atomic rename would leave.
    Files.write(webState, java.util.Arrays.copyOf(state, state.length / 2));

    Destination next = rig.start(OPTIONS);
    DrainReport report = next.drain(Instant.now().plusSeconds(20));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.GZIP))).isEqualTo(range(0, 1000));
    assertThat(rig.list("logs"))
        .extracting(o -> o.key())
        .containsExactlyInAnyOrder(
            "firelens-router/recovered/archive/" + id + ".jsonl.gz", "app/db/1.jsonl.gz");
    assertThat(rig.counter("firelens_router_s3_recovery_states_unreadable")).isEqualTo(1);
    assertThat(rig.counter("firelens_router_s3_recovery_records_lost")).isZero();
    assertThat(stagingDirFiles()).isEmpty();
  }

  @Test
  void aStateWriteCutShortBeforeItsRenameLeavesTheOldStateInUse() throws IOException {
    stageAndCrash(1000);
    Path webState = stateOf("app/web/");
    Files.writeString(webState.resolveSibling(webState.getFileName() + ".tmp"), "{\"key\":\"ap");

    Destination next = rig.start(OPTIONS);
    DrainReport report = next.drain(Instant.now().plusSeconds(20));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(rig.list("logs"))
        .extracting(o -> o.key())
        .containsExactlyInAnyOrder("app/web/0.jsonl.gz", "app/db/1.jsonl.gz");
    assertThat(rig.counter("firelens_router_s3_recovery_states_unreadable")).isZero();
    assertThat(stagingDirFiles()).isEmpty();
  }

  @Test
  void theMultipartUploadOfAFileCutShortByACrashIsAbortedNotLeftOpen() {
    String options =
        """
        bucket: logs
        compression: none
        max_object_size: 1GiB
        multipart_threshold: 6MiB
        part_size: 5MiB
        upload_after: 1h
        """;
    ScheduledExecutorService doomed = Executors.newSingleThreadScheduledExecutor();
    Destination first = rig.start(options, doomed);
    send(first, "app", 0, 8000, 1000);
    Await.until(
        Duration.ofSeconds(20),
        () -> s3.partsReceived() >= 1,
        () -> "parts so far: " + s3.partsReceived());
    doomed.shutdownNow();
    assertThat(s3.openMultipartUploads()).isEqualTo(1);

    Destination next = rig.start(options);
    DrainReport report = next.drain(Instant.now().plusSeconds(30));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.NONE))).isEqualTo(range(0, 8000));
    Await.until(
        Duration.ofSeconds(10),
        () -> s3.openMultipartUploads() == 0,
        () -> s3.openMultipartUploads() + " multipart uploads left open");
  }

  @Test
  void aMultipartUploadResumesWithThePartSizeItStartedWithAfterPartSizeChanged()
      throws IOException {
    String before =
        """
        bucket: logs
        compression: none
        max_object_size: 1GiB
        multipart_threshold: 6MiB
        part_size: 5MiB
        upload_after: 1h
        """;
    ScheduledExecutorService doomed = Executors.newSingleThreadScheduledExecutor();
    Destination first = rig.start(before, doomed);
    send(first, "app", 0, 8000, 1000);
    Path state = stateOf("app/");
    Await.until(
        Duration.ofSeconds(20),
        () -> readState(state).path("parts").size() == 1,
        () -> "state " + readState(state));
    doomed.shutdownNow();
    // What a process killed right after closing the object leaves: sealed, upload id, part 1 done.
    com.fasterxml.jackson.databind.node.ObjectNode sealed = readState(state);
    sealed.put("sealed", true).put("records", 8000).put("bytes", Files.size(dataOf(state)));
    Files.writeString(state, sealed.toString());
    long partsBefore = s3.partsReceived();

    Destination next = rig.start(before.replace("part_size: 5MiB", "part_size: 6MiB"));
    DrainReport report = next.drain(Instant.now().plusSeconds(30));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(rig.list("logs")).hasSize(1);
    assertThat(seqs(rig.lines("logs", Compression.NONE))).isEqualTo(range(0, 8000));
    assertThat(s3.partsReceived() - partsBefore).as("only the rest was sent").isEqualTo(1);
    assertThat(s3.openMultipartUploads()).isZero();
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode readState(Path state) {
    try {
      return (com.fasterxml.jackson.databind.node.ObjectNode)
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path dataOf(Path state) {
    return state.resolveSibling(state.getFileName().toString().replace(".json", ".data"));
  }

  private Path stateOf(String keyPrefix) throws IOException {
    for (Path p : stagingFiles()) {
      Path state = p.resolveSibling(p.getFileName().toString().replace(".data", ".json"));
      if (Files.readString(state).contains(keyPrefix)) {
        return state;
      }
    }
    throw new AssertionError("no staged object under " + keyPrefix);
  }

  /** What is left in the staging dir besides the index file. */
  private List<String> stagingDirFiles() {
    try (Stream<Path> files = Files.list(dataDir.resolve("s3").resolve("archive"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("next-index"))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Integer> concat(List<Integer> a, List<Integer> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  private List<Path> stagingFiles() {
    try (Stream<Path> files = Files.list(dataDir.resolve("s3").resolve("archive"))) {
      return files.filter(p -> p.toString().endsWith(".data")).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
