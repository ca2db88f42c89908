package dev.firelensrouter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/**
 * A config file for a {@link ChildRouter}: free ports for its forward input and admin endpoints,
 * its data under the test's folder, and the outputs and routes the test gives.
 */
public record ChildConfig(Path file, int forwardPort, int adminPort) {

  /**
   * The sandbox's endpoints with CloudWatch Logs at the discard port, where nothing listens
   * (outside the ephemeral range: no other test takes it meanwhile): the output turns failing.
   */
  public static final Map<String, String> DEAD_CLOUDWATCH =
      Map.of("FIRELENS_ROUTER_SANDBOX_ENDPOINTS", "logs=http://127.0.0.1:9");

  /**
   * Writes {@code dir/config.yaml}.
   *
   * @param service more lines under {@code service:} ({@code grace: 10s}), unindented
   * @param forward more lines under {@code inputs.forward:} ({@code ack: received}), unindented
   * @param outputsAndRoutes the {@code outputs:} and {@code routes:} sections
   */
  public static ChildConfig write(Path dir, String service, String forward, String outputsAndRoutes)
      throws IOException {
    int forwardPort = ChildRouter.freePort();
    int adminPort = ChildRouter.freePort();
    String yaml =
        "service:\n  admin: 127.0.0.1:"
            + adminPort
            + "\n  data_dir: "
            + dir.resolve("data")
            + "\n"
            + service.indent(2)
            + "inputs:\n  forward:\n    tcp: 127.0.0.1:"
            + forwardPort
            + "\n"
            + forward.indent(4)
            + outputsAndRoutes;
    Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
    return new ChildConfig(file, forwardPort, adminPort);
  }

  /** A router on this config with {@code run --sandbox dir/sandbox}. */
  public ChildRouter startInSandbox(Path dir) throws IOException {
    return ChildRouter.start(dir, file, adminPort, "--sandbox", dir.resolve("sandbox").toString());
  }

  /** Fluency with acks on, flushing every 20 ms, to the router's forward input. */
  public Fluency fluency() {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    // An ack can wait for the 2 s spool write, more on a loaded machine; Fluency's default 5 s read
    // timeout would then send the chunk again and the outputs would hold it twice.
    builder.setReadTimeoutMilli(60_000);
    builder.setFlushAttemptIntervalMillis(20);
    return builder.build("127.0.0.1", forwardPort);
  }
}
