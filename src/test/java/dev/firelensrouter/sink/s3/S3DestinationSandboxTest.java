package dev.firelensrouter.sink.s3;

import static dev.firelensrouter.sink.s3.S3TestRig.range;
import static dev.firelensrouter.sink.s3.S3TestRig.send;
import static dev.firelensrouter.sink.s3.S3TestRig.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.firelensrouter.event.ChunkTicket;
import dev.firelensrouter.sandbox.S3Emulator;
import dev.firelensrouter.sandbox.S3Faults;
import dev.firelensrouter.sink.Destination;
import dev.firelensrouter.sink.DestinationState;
import dev.firelensrouter.sink.DrainReport;
import dev.firelensrouter.sink.OutputMetrics;
import dev.firelensrouter.sink.RequestRateCaps;
import dev.firelensrouter.testing.Await;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class S3DestinationSandboxTest {
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

  private static Instant in(int seconds) {
    return Instant.now().plusSeconds(seconds);
  }

  @Test
  void everyRecordLandsOnceUnderItsRenderedKey() {
    Destination d =
        rig.start(
            """
            bucket: logs
            key: "app/{{ tag }}/%Y/%m/%d/{{ uuid }}.jsonl.gz"
            upload_after: 1h
            """);
    List<ChunkTicket> tickets = send(d, "web.access", 0, 500, 10);
    send(d, "db.slow", 500, 600, 10);
    assertThat(tickets).allMatch(ChunkTicket::isComplete);

    DrainReport report = d.drain(in(20));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(rig.list("logs"))
        .extracting(o -> o.key().replaceAll("[0-9a-f-]{36}", "U"))
        .containsExactlyInAnyOrder(
            "app/web.access/2023/11/14/U.jsonl.gz", "app/db.slow/2023/11/14/U.jsonl.gz");
    assertThat(seqs(rig.lines("logs", Compression.GZIP))).isEqualTo(range(0, 600));
    assertThat(rig.metrics.forOutput("archive").deliveredCount()).isEqualTo(600);
    assertThat(rig.metrics.forOutput("archive").buffered()).isZero();
  }

  @Test
  void keysOverS3sLimitAreCutBeforeTheirUuidCountedAndWarnedOnce() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger destinationLog = (Logger) LoggerFactory.getLogger(S3Destination.class);
    log.start();
    destinationLog.addAppender(log);
    String longTag = ("d".repeat(99) + "/").repeat(15) + "web";
    try {
      Destination d =
          rig.start(
              """
              bucket: logs
              key: "{{ tag }}/{{ uuid }}.jsonl"
              compression: none
              max_object_size: 1KiB
              upload_after: 1h
              """);
      send(d, longTag, 0, 300, 10);

      DrainReport report = d.drain(in(20));

      assertThat(report.isClean()).as(report.reason()).isTrue();
    } finally {
      destinationLog.detachAppender(log);
    }
    List<String> keys = rig.list("logs").stream().map(o -> o.key()).toList();
    assertThat(keys).hasSizeGreaterThan(1).doesNotHaveDuplicates();
    assertThat(keys)
        .allSatisfy(
            k -> {
              assertThat(k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                  .isLessThanOrEqualTo(1024);
              assertThat(k).startsWith("ddd").matches(".*d/[0-9a-f-]{36}\\.jsonl");
            });
    assertThat(seqs(rig.lines("logs", Compression.NONE))).isEqualTo(range(0, 300));
    assertThat(rig.counter("firelens_router_s3_keys_shortened")).isEqualTo(keys.size());
    assertThat(log.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .filteredOn(e -> e.getFormattedMessage().contains("1,024"))
        .hasSize(1);
  }

  @Test
  void aKeyWithASegmentLongerThanAFileNameIsUploadedInTheSandbox() {
    String longTag = "\u00e9".repeat(350); // 700 bytes, one segment: no file name holds it
    Destination d =
        rig.start(
            """
            bucket: logs
            key: "{{ tag }}/{{ uuid }}.jsonl"
            compression: none
            upload_after: 1h
            """);
    send(d, longTag, 0, 100, 10);

    DrainReport report = d.drain(in(20));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(rig.list("logs")).hasSize(1);
    assertThat(seqs(rig.lines("logs", Compression.NONE))).isEqualTo(range(0, 100));
  }

  @Test
  void theAccountRequestCapPacesUploads() {
    Destination d =
        rig.start(
            """
            bucket: logs
            upload_after: 100ms
            """,
            new RequestRateCaps(java.util.Map.of("s3", 1.0)));
    long started = System.nanoTime();
    send(d, "a", 0, 10, 10);
    send(d, "b", 10, 20, 10);
    send(d, "c", 20, 30, 10);

    Await.until(
        Duration.ofSeconds(20),
        () -> rig.list("logs").size() == 3,
        () -> "objects so far: " + rig.list("logs").size());

    // One request per second, the first at once: the third PutObject cannot start before 2 s.
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThan(Duration.ofMillis(1900));
    assertThat(d.drain(in(10)).isClean()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.GZIP))).isEqualTo(range(0, 30));
  }

  @Test
  void slowDownServerErrorsAndResetsForAWhileLoseNothing() {
    s3.faults(S3Faults.NONE.withSlowDown(0.3).withServerErrors(0.2).withResets(0.1));
    Destination d =
        rig.start(
            """
            bucket: logs
            compression: zstd
            max_object_size: 1KiB
            upload_after: 200ms
            """);
    send(d, "app", 0, 3000, 50);
    send(d, "other", 3000, 4000, 50);
    // Each kind of fault slows the output down (AIMD, backoff), so on a loaded machine only a few
    // calls may come in a while: what matters is that some failed and nothing was lost.
    Await.until(
        Duration.ofSeconds(60),
        () -> s3.faultsInjected() >= 2,
        () -> "faults so far: " + s3.faultsInjected());
    s3.faults(S3Faults.NONE);

    DrainReport report = d.drain(in(30));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.ZSTD))).isEqualTo(range(0, 4000));
    assertThat(s3.faultsInjected()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aFailedCompleteRestartsTheUploadWithoutDuplicatingContent() {
    s3.faults(S3Faults.NONE.withFailedCompletes(2));
    Destination d =
        rig.start(
            """
            bucket: logs
            compression: none
            max_object_size: 12MiB
            multipart_threshold: 6MiB
            part_size: 5MiB
            upload_after: 1h
            """);
    send(d, "app", 0, 12_000, 1000);

    DrainReport report = d.drain(in(60));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    List<String> lines = rig.lines("logs", Compression.NONE);
    assertThat(seqs(lines)).isEqualTo(range(0, 12_000));
    assertThat(rig.list("logs")).allMatch(o -> o.size() > 6 << 20);
    // Each lost upload was aborted: no parts left that S3 would keep billing.
    Await.until(
        Duration.ofSeconds(10),
        () -> s3.openMultipartUploads() == 0,
        () -> s3.openMultipartUploads() + " multipart uploads left open");
  }

  @Test
  void anUploadS3KeepsLosingIsAbortedEachTimeAndDeadLetteredAfterMaxAttempts() throws Exception {
    s3.faults(S3Faults.NONE.withFailedCompletes(1000));
    Destination d =
        rig.start(
            """
            bucket: logs
            compression: none
            multipart_threshold: 1KiB
            part_size: 5MiB
            upload_after: 100ms
            max_attempts: 3
            """);
    send(d, "app", 0, 50, 50);

    Await.until(
        Duration.ofSeconds(20),
        () -> rig.metrics.forOutput("archive").snapshot().deadLetteredTotal() == 50,
        () -> "ledger " + rig.metrics.forOutput("archive").snapshot());

    assertThat(rig.list("logs")).isEmpty();
    assertThat(s3.faultsInjected()).as("failed completes").isEqualTo(3);
    Await.until(
        Duration.ofSeconds(10),
        () -> s3.openMultipartUploads() == 0,
        () -> s3.openMultipartUploads() + " multipart uploads left open");
    List<String> dead = Files.readAllLines(dataDir.resolve("dead-letter/archive.jsonl"));
    assertThat(seqs(dead)).isEqualTo(range(0, 50));
    assertThat(dead).allSatisfy(l -> assertThat(l).contains("\"reason\":\"InvalidPart\""));
    assertThat(rig.metrics.forOutput("archive").snapshot().balanced()).isTrue();
    assertThat(d.drain(in(5)).isClean()).isTrue();
  }

  @Test
  void partsOfABigObjectGoUpWhileItIsStillBeingWritten() {
    Destination d =
        rig.start(
            """
            bucket: logs
            compression: none
            max_object_size: 1GiB
            multipart_threshold: 6MiB
            part_size: 5MiB
            upload_after: 1h
            """);
    send(d, "app", 0, 16_000, 1000);
    Await.until(
        Duration.ofSeconds(20),
        () -> s3.partsReceived() >= 2,
        () -> "parts so far: " + s3.partsReceived());
    assertThat(rig.list("logs")).isEmpty();

    DrainReport report = d.drain(in(30));

    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(rig.list("logs")).hasSize(1);
    assertThat(seqs(rig.lines("logs", Compression.NONE))).isEqualTo(range(0, 16_000));
    assertThat(s3.partsReceived()).isLessThanOrEqualTo(5);
  }

  @Test
  void aBucketThatDoesNotExistShowsAsFailingWithItsErrorCodeAndKeepsTheData() {
    Destination d =
        rig.start(
            """
            bucket: no-such-bucket
            upload_after: 100ms
            """);
    send(d, "app", 0, 10, 10);
    Await.until(
        Duration.ofSeconds(10),
        () -> d.state().health() == DestinationState.Health.FAILING,
        () -> "state " + d.state());
    assertThat(d.state().lastError()).contains("NoSuchBucket").contains("request id");

    DrainReport report = d.drain(Instant.now().plusMillis(300));

    assertThat(report.undelivered()).isEqualTo(10);
    OutputMetrics.Snapshot ledger = rig.metrics.forOutput("archive").snapshot();
    assertThat(ledger.buffered() + ledger.inFlight()).as("kept, uploading").isEqualTo(10);
    assertThat(ledger.balanced()).isTrue();
  }

  @Test
  void anObjectS3RefusesForGoodGoesToTheDeadLetterFileRecordByRecord() throws Exception {
    Destination d =
        rig.start(
            """
            bucket: logs
            key: "app/{{ tag }}.jsonl"
            compression: none
            storage_class: STANDARD-IA
            upload_after: 100ms
            max_attempts: 2
            """);
    send(d, "app", 0, 25, 25);
    Await.until(
        Duration.ofSeconds(20),
        () -> rig.metrics.forOutput("archive").snapshot().deadLetteredTotal() == 25,
        () -> "ledger " + rig.metrics.forOutput("archive").snapshot());
    List<String> dead = Files.readAllLines(dataDir.resolve("dead-letter/archive.jsonl"));
    assertThat(dead).hasSize(25);
    assertThat(seqs(dead)).isEqualTo(range(0, 25));
    assertThat(dead)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("\"output\":\"archive\"")
                    .contains("\"reason\":\"InvalidStorageClass\"")
                    .contains("\"object_key\":\"app/app-"));
    OutputMetrics.Snapshot ledger = rig.metrics.forOutput("archive").snapshot();
    assertThat(ledger.deadLettered()).containsEntry("InvalidStorageClass", 25L);
    assertThat(ledger.balanced()).isTrue();
    assertThat(d.drain(in(5)).isClean()).isTrue();
  }

  @Test
  void accessDeniedShowsAsFailingWithCodeAndRequestIdAndKeepsTheDataStaged() {
    s3.denyBucket("logs");
    assertStaysStagedAndReported("bucket: logs\nupload_after: 100ms\n", "AccessDenied");
  }

  @Test
  void aBucketInAnotherRegionShowsAsFailingWithTheRedirectAndKeepsTheDataStaged() {
    s3.bucketRegion("logs", "eu-west-1");
    assertStaysStagedAndReported("bucket: logs\nupload_after: 100ms\n", "PermanentRedirect");
  }

  private void assertStaysStagedAndReported(String yaml, String code) {
    Destination d = rig.start(yaml);
    send(d, "app", 0, 30, 30);
    Await.until(
        Duration.ofSeconds(10),
        () -> d.state().health() == DestinationState.Health.FAILING,
        () -> "state " + d.state());
    assertThat(d.state().lastError()).contains(code).contains("request id");
    OutputMetrics.Snapshot ledger = rig.metrics.forOutput("archive").snapshot();
    assertThat(ledger.buffered() + ledger.inFlight()).as("still staged").isEqualTo(30);
    assertThat(ledger.deadLetteredTotal()).isZero();
    assertThat(ledger.balanced()).isTrue();
    DrainReport report = d.drain(Instant.now().plusMillis(300));
    assertThat(report.undelivered()).isEqualTo(30);
  }

  @Test
  void drainUploadsObjectsStillOpen() {
    Destination d =
        rig.start(
            """
            bucket: logs
            upload_after: 1h
            max_object_size: 1GiB
            """);
    send(d, "app", 0, 1000, 10);
    assertThat(rig.list("logs")).isEmpty();

    DrainReport report = d.drain(in(20));

    assertThat(report.isClean()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.GZIP))).isEqualTo(range(0, 1000));
  }

  @Test
  void aFullStagingDiskBlocksTheRouterUntilUploadsFreeRoom() throws Exception {
    s3.faults(S3Faults.NONE.withSlowDown(1.0));
    Destination d =
        rig.start(
            """
            bucket: logs
            compression: none
            max_disk: 64KiB
            max_object_size: 16KiB
            upload_after: 1h
            """);
    Thread router = new Thread(() -> send(d, "app", 0, 2000, 100));
    router.start();
    Await.until(
        Duration.ofSeconds(10),
        () -> router.getState() == Thread.State.TIMED_WAITING,
        () -> "router state " + router.getState());
    long staged = rig.metrics.forOutput("archive").buffered();
    assertThat(staged).isLessThan(2000);
    assertThat(router.isAlive()).isTrue();

    s3.faults(S3Faults.NONE);
    router.join(30_000);

    assertThat(router.isAlive()).isFalse();
    DrainReport report = d.drain(in(30));
    assertThat(report.isClean()).as(report.reason()).isTrue();
    assertThat(seqs(rig.lines("logs", Compression.NONE))).isEqualTo(range(0, 2000));
    assertThat(rig.metrics.forOutput("archive").deliveredCount()).isEqualTo(2000);
  }
}
