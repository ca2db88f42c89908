package dev.firelensrouter.sink.firehose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firelensrouter.aws.AwsClients;
import dev.firelensrouter.pipeline.NettyLoops;
import dev.firelensrouter.sandbox.FirehoseEmulator;
import dev.firelensrouter.sink.EntryResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.firehose.FirehoseAsyncClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The PutRecordBatch body the Firehose output encodes itself: the same JSON the SDK would write,
 * signed as sent, and the same records in the delivery stream whether or not the client carries the
 * interceptor that sends it.
 */
class EncodedBodyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final FirehoseEmulator emulator = new FirehoseEmulator();
  private NettyLoops loops;
  private AwsClients aws;

  @AfterEach
  void stop() {
    if (aws != null) {
      aws.close();
      loops.close();
    }
    emulator.stop();
  }

  /** Random bytes of every value, lengths 0 to 3 mod 3 so every base64 padding occurs. */
  private static List<FirehoseEntry> entries(int count) {
    Random random = new Random(7);
    List<FirehoseEntry> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[random.nextInt(3000)];
      random.nextBytes(data);
      out.add(new FirehoseEntry(data));
    }
    return out;
  }

  @Test
  void theBodyIsTheJsonTheSdkWouldWriteWithEachRecordInBase64() throws Exception {
    List<byte[]> records = new ArrayList<>();
    for (FirehoseEntry e : entries(50)) {
      records.add(e.piece(0));
    }
    FirehoseSender sender = new FirehoseSender(null, false);

    byte[] body = sender.body("lake.with_odd-name", records);

    JsonNode tree = JSON.readTree(body);
    assertThat(tree.get("DeliveryStreamName").asText()).isEqualTo("lake.with_odd-name");
    assertThat(tree.get("Records")).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(Base64.getDecoder().decode(tree.get("Records").get(i).get("Data").asText()))
          .isEqualTo(records.get(i));
    }
    long expectedSize = FirehoseSender.REQUEST_FRAMING;
    for (byte[] r : records) {
      expectedSize += FirehoseSender.encodedSize(r.length);
    }
    assertThat((long) body.length)
        .as("within the size the batcher counted for it")
        .isLessThanOrEqualTo(expectedSize);
  }

  @Test
  void theBodyIsTheSdksOwnAndBothClientsDeliverTheSameBytesSigned() throws Exception {
    URI endpoint = emulator.start(dir);
    emulator.verifySignatures(AwsClients.SANDBOX_CREDENTIALS);
    loops = NettyLoops.create(1);
    aws = new AwsClients(loops, true);
    AwsClients.Target target =
        new AwsClients.Target(Optional.of("us-east-1"), Optional.of(endpoint), Optional.empty());
    FirehoseAsyncClient encoding = aws.firehose(target);
    // The body the SDK itself marshals, kept to compare with ours byte for byte.
    List<byte[]> marshalledBodies = new ArrayList<>();
    ExecutionInterceptor keepBody =
        new ExecutionInterceptor() {
          @Override
          public void afterMarshalling(
              Context.AfterMarshalling context, ExecutionAttributes attributes) {
            try (InputStream in =
                context.requestBody().orElseThrow().contentStreamProvider().newStream()) {
              marshalledBodies.add(in.readAllBytes());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        };
    try (FirehoseAsyncClient plain =
        FirehoseAsyncClient.builder()
            .httpClient(aws.http())
            .region(aws.region(Optional.of("us-east-1")))
            .credentialsProvider(aws.credentials(target))
            .endpointOverride(endpoint)
            .overrideConfiguration(o -> o.addExecutionInterceptor(keepBody))
            .build()) {
      List<FirehoseEntry> batch = entries(200);
      List<byte[]> data = new ArrayList<>();
      batch.forEach(e -> data.add(e.piece(0)));
      FirehoseSender marshalling = new FirehoseSender(plain, false);

      List<EntryResult> viaInterceptor =
          new FirehoseSender(encoding, false).send("encoded", batch).join();
      List<EntryResult> viaSdk = marshalling.send("marshalled", entries(200)).join();

      assertThat(viaInterceptor).containsOnly(EntryResult.DELIVERED).hasSize(200);
      assertThat(viaSdk).containsOnly(EntryResult.DELIVERED).hasSize(200);
      assertThat(marshalledBodies)
          .singleElement()
          .as("our body is the SDK's, byte for byte")
          .isEqualTo(marshalling.body("marshalled", data));
    }
    byte[] encoded = Files.readAllBytes(dir.resolve("firehose/encoded.jsonl"));
    byte[] marshalled = Files.readAllBytes(dir.resolve("firehose/marshalled.jsonl"));
    assertThat(encoded).hasSizeGreaterThan(100_000).isEqualTo(marshalled);
    assertThat(emulator.calls()).isEqualTo(2);
  }

  @Test
  void theRequestObjectKeepsItsRecordsForAnythingThatLooksAtIt() throws Exception {
    List<PutRecordBatchRequest> seen = new ArrayList<>();
    FirehoseAsyncClient recording =
        new FirehoseAsyncClient() {
          @Override
          public java.util.concurrent.CompletableFuture<
                  software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse>
              putRecordBatch(PutRecordBatchRequest request) {
            seen.add(request);
            return new java.util.concurrent.CompletableFuture<>();
          }

          @Override
          public String serviceName() {
            return "firehose";
          }

          @Override
          public void close() {}
        };
    List<FirehoseEntry> batch = entries(3);

    new FirehoseSender(recording, false).send("lake", batch);

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).records())
        .extracting(Record::data)
        .containsExactly(
            SdkBytes.fromByteArray(batch.get(0).piece(0)),
            SdkBytes.fromByteArray(batch.get(1).piece(0)),
            SdkBytes.fromByteArray(batch.get(2).piece(0)));
    assertThat(seen.get(0).deliveryStreamName()).isEqualTo("lake");
  }
}
