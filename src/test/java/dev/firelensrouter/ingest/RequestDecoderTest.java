package dev.firelensrouter.ingest;

import static dev.firelensrouter.ingest.ForwardTestSupport.pack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.event.Event;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;

class RequestDecoderTest {
  private final RequestDecoder decoder = new RequestDecoder(1 << 20);

  private static String json(byte[] msgpack) throws Exception {
    return MessagePack.newDefaultUnpacker(msgpack).unpackValue().toJson();
  }

  @Test
  void keepsNonEmptyFluentBitMetadataWithTheEventAndDropsEmptyOnes() throws Exception {
    byte[] frame =
        pack(
            p -> {
              p.packArrayHeader(2).packString("t").packArrayHeader(2);
              p.packArrayHeader(2).packArrayHeader(2);
              p.packExtensionTypeHeader((byte) 0, 8)
                  .writePayload(ByteBuffer.allocate(8).putInt(10).putInt(0).array());
              p.packMapHeader(1).packString("otlp").packMapHeader(0);
              p.packMapHeader(1).packString("log").packString("a");
              p.packArrayHeader(2).packArrayHeader(2);
              p.packExtensionTypeHeader((byte) 0, 8)
                  .writePayload(ByteBuffer.allocate(8).putInt(11).putInt(0).array());
              p.packMapHeader(0);
              p.packMapHeader(1).packString("log").packString("b");
            });
    DecodedRequest.Events r = (DecodedRequest.Events) decoder.decode(frame);
    Event first = r.events().get(0);
    assertThat(json(first.metadata())).isEqualTo("{\"otlp\":{}}");
    assertThat(json(first.recordBytes())).isEqualTo("{\"log\":\"a\"}");
    assertThat(r.events().get(1).metadata()).isNull();
    assertThat(first.recordBuffer()).isSameAs(frame); // a view, not a copy
  }

  @Test
  void keepsMessageModeOptionMetadata() throws Exception {
    byte[] frame =
        pack(
            p ->
                p.packArrayHeader(4)
                    .packString("t")
                    .packLong(5)
                    .packMapHeader(0)
                    .packMapHeader(1)
                    .packString("metadata")
                    .packMapHeader(1)
                    .packString("source")
                    .packString("suite"));
    DecodedRequest.Events r = (DecodedRequest.Events) decoder.decode(frame);
    assertThat(json(r.events().get(0).metadata())).isEqualTo("{\"source\":\"suite\"}");
  }

  @Test
  void refusesEventTimeWithNanosecondsOfASecondOrMore() {
    byte[] frame =
        pack(
            p -> {
              p.packArrayHeader(3).packString("t");
              p.packExtensionTypeHeader((byte) 0, 8)
                  .writePayload(ByteBuffer.allocate(8).putInt(1).putInt(1_000_000_000).array());
              p.packMapHeader(0);
            });
    DecodedRequest.Events r = (DecodedRequest.Events) decoder.decode(frame);
    assertThat(r.events()).isEmpty();
    assertThat(r.invalidEvents()).isEqualTo(1);
  }
}
