package dev.firelensrouter.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.ForwardInputConfig.AckMode;
import dev.firelensrouter.event.Event;
import dev.firelensrouter.event.ForwardChunk;
import dev.firelensrouter.pipeline.ChunkRing;
import dev.firelensrouter.pipeline.NettyLoops;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.fluentd.logger.FluentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/** Real Java Forward clients nobody here wrote, against the listener. */
class JavaClientInteropTest {
  private final NettyLoops loops = NettyLoops.create(2);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final BlockingQueue<ForwardChunk> chunks = new LinkedBlockingQueue<>();
  private ChunkRing ring;
  private ForwardServer server;

  @BeforeEach
  void start() throws Exception {
    // Every chunk is "delivered" as soon as the router sees it, so acks flow.
    ring =
        new ChunkRing(
            64,
            Duration.ofMillis(50),
            chunk -> {
              chunks.add(chunk);
              chunk.ticket().release();
            });
    ring.start();
    server =
        new ForwardServer(
            ForwardTestSupport.config(
                Optional.empty(), "", 16L << 20, AckMode.DELIVERED, 10, Optional.empty()),
            ring,
            loops,
            registry);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    ring.close();
    loops.close();
  }

  private List<String> messages(int expected) throws IOException {
    List<String> out = new ArrayList<>();
    ForwardTestSupport.awaitTrue(
        expected + " records",
        () -> {
          ForwardChunk c;
          while ((c = chunks.poll()) != null) {
            for (Event e : c.events()) {
              out.add(c.tag() + " " + field(e, "msg"));
            }
          }
          return out.size() >= expected;
        });
    return out;
  }

  private static String field(Event e, String name) {
    try (MessageUnpacker u =
        MessagePack.newDefaultUnpacker(e.recordBuffer(), e.recordOffset(), e.recordLength())) {
      return u.unpackValue().asMapValue().map().entrySet().stream()
          .filter(en -> en.getKey().toString().equals(name))
          .map(en -> en.getValue().toString())
          .findFirst()
          .orElse(null);
    } catch (IOException ex) {
      throw new AssertionError(ex);
    }
  }

  @Test
  void fluencyWithAckResponseDeliversEveryRecordInOrder() throws Exception {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    builder.setSenderMaxRetryCount(2);
    Fluency fluency = builder.build("127.0.0.1", server.tcpAddress().orElseThrow().getPort());
    try {
      for (int i = 0; i < 100; i++) {
        fluency.emit("app.fluency", Map.of("msg", "m" + i));
      }
      fluency.flush();
      List<String> got = messages(100);
      assertThat(got).hasSize(100).first().isEqualTo("app.fluency m0");
      assertThat(got.get(99)).isEqualTo("app.fluency m99");
      fluency.close();
      ForwardTestSupport.awaitTrue("fluency to finish", fluency::isTerminated);
      assertThat(fluency.getBufferedDataSize()).isZero();
      // Had an ack been missing or wrong, Fluency would have resent: no duplicates arrived.
      assertThat(chunks).isEmpty();
      assertThat(
              ForwardTestSupport.counter(registry, "firelens_router_records_received", null, null))
          .isEqualTo(100.0);
    } finally {
      fluency.close(); // idempotent; closes it when an assertion above failed
    }
  }

  @Test
  void fluentLoggerJavaDeliversEveryRecordInOrder() throws Exception {
    FluentLogger logger =
        FluentLogger.getLogger("legacy", "127.0.0.1", server.tcpAddress().orElseThrow().getPort());
    try {
      for (int i = 0; i < 50; i++) {
        assertThat(logger.log("event", Map.of("msg", "l" + i))).isTrue();
      }
      logger.flush();
      List<String> got = messages(50);
      assertThat(got).hasSize(50);
      for (int i = 0; i < 50; i++) {
        assertThat(got.get(i)).isEqualTo("legacy.event l" + i);
      }
    } finally {
      logger.close();
    }
  }
}
