package dev.firelensrouter.ingest;

import dev.firelensrouter.config.ForwardInputConfig;
import dev.firelensrouter.config.HostPort;
import dev.firelensrouter.testing.Await;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** Small builders for Forward test inputs. */
final class ForwardTestSupport {
  private ForwardTestSupport() {}

  interface PackerBody {
    void write(MessageBufferPacker p) throws IOException;
  }

  static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] pack(PackerBody body) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      body.write(p);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Each part compressed as its own gzip member, concatenated. */
  static byte[] gzipMembers(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      try (GZIPOutputStream gz =
          new GZIPOutputStream(out) {
            @Override
            public void close() throws IOException {
              finish(); // keep the shared stream open for the next member
            }
          }) {
        gz.write(part);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toByteArray();
  }

  static byte[] resource(String name) {
    try (InputStream in = ForwardTestSupport.class.getResourceAsStream("/forward/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final List<String> FIXTURES =
      List.of(
          "fluent-bit-5.1.1-ack.bin",
          "fluent-bit-5.1.1-bulk-gzip-ack.bin",
          "fluent-bit-5.1.1-compat.bin",
          "fluent-bit-5.1.1-default.bin",
          "fluent-bit-5.1.1-gzip-ack.bin",
          "fluent-bit-5.1.1-retain-metadata.bin",
          "fluent-bit-5.1.1-send-options.bin",
          "fluent-bit-5.1.1-time-as-integer.bin");

  static ForwardInputConfig config(
      Optional<Path> unix,
      String sharedKey,
      long maxFrame,
      ForwardInputConfig.AckMode ack,
      int maxConnections,
      Optional<ForwardInputConfig.Tls> tls) {
    return new ForwardInputConfig(
        Optional.of(new HostPort("127.0.0.1", 0)),
        unix,
        sharedKey,
        "router-under-test",
        List.of(),
        tls,
        maxFrame,
        ack,
        maxConnections,
        true,
        Duration.ofSeconds(10));
  }

  static double counter(PrometheusRegistry registry, String name, String label, String value) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof CounterSnapshot c) {
        double sum = 0;
        for (CounterSnapshot.CounterDataPointSnapshot dp : c.getDataPoints()) {
          if (label == null || value.equals(dp.getLabels().get(label))) {
            sum += dp.getValue();
          }
        }
        return sum;
      }
    }
    return 0;
  }

  static void awaitTrue(String what, BooleanSupplier condition) {
    Await.until(Duration.ofSeconds(30), condition, () -> what);
  }
}
