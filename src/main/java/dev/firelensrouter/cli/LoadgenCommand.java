package dev.firelensrouter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.config.HostPort;
import dev.firelensrouter.config.Units;
import dev.firelensrouter.loadgen.LoadGenerator;
import dev.firelensrouter.loadgen.LoadResult;
import dev.firelensrouter.loadgen.LoadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadgen --target HOST:PORT|unix:PATH ...}: the perf harness's Forward load generator. */
@Command(
    name = "loadgen",
    description = "Send FireLens-shaped Forward traffic to a target and report records/s.",
    mixinStandardHelpOptions = true)
final class LoadgenCommand implements Callable<Integer> {
  @Option(names = "--target", required = true, description = "HOST:PORT or unix:PATH")
  String target;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Records per second over all connections; 0 = as fast as possible (default).")
  long rate;

  @Option(
      names = "--record-size",
      defaultValue = "1KiB",
      description = "Bytes of each record's log field (default 1KiB).")
  String recordSize;

  @Option(names = "--connections", defaultValue = "4", description = "Connections (default 4).")
  int connections;

  @Option(
      names = "--mode",
      defaultValue = "packed",
      description = "message, forward, packed (default) or compressed (gzip).")
  String mode;

  @Option(names = "--gzip", description = "Same as --mode compressed.")
  boolean gzip;

  @Option(
      names = "--ack",
      negatable = true,
      defaultValue = "true",
      description = "Ask for and wait for acks (default on; --no-ack to turn off).")
  boolean ack;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "Records per request (default 100).")
  int batch;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      description = "How long to send (default 10s).")
  String duration;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "Stop after this many records (0 = no limit).")
  long count;

  @Option(
      names = "--tag",
      defaultValue = "app-firelens-0123456789abcdef",
      description = "The tag (default like FireLens's <container>-firelens-<task>).")
  String tag;

  @Option(names = "--json", description = "Also write the summary as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    String host = null;
    int port = 0;
    String unix = null;
    if (target.startsWith("unix:")) {
      unix = target.substring("unix:".length());
    } else {
      HostPort hp =
          HostPort.parse(target)
              .orElseThrow(
                  () -> new IllegalArgumentException("--target must be HOST:PORT or unix:PATH"));
      host = hp.host();
      port = hp.port();
    }
    LoadSpec.Mode m =
        gzip ? LoadSpec.Mode.COMPRESSED : LoadSpec.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    LoadSpec spec =
        new LoadSpec(
            host,
            port,
            unix,
            rate,
            Units.parseSize(recordSize)
                .orElseThrow(() -> new IllegalArgumentException("bad --record-size"))
                .intValue(),
            connections,
            m,
            ack,
            batch,
            Units.parseDuration(duration)
                .orElseThrow(() -> new IllegalArgumentException("bad --duration")),
            count,
            tag,
            Duration.ofSeconds(30),
            java.util.List.of(),
            Duration.ZERO);
    boolean terminal = System.console() != null;
    LoadResult result =
        new LoadGenerator(spec)
            .run(
                p -> {
                  if (terminal) {
                    System.err.printf(
                        "\r%,d records, %,.0f records/s, %d acked, %d retried   ",
                        p.sent(), p.recordsPerSecond(), p.acked(), p.retries());
                  }
                });
    if (terminal) {
      System.err.println();
    }
    System.out.println(result.summary());
    if (json != null) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result);
    }
    return result.failedConnections() > 0 && result.sent() == 0 ? 1 : 0;
  }
}
