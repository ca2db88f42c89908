package dev.firelensrouter.ingest;

import static dev.firelensrouter.ingest.ForwardTestSupport.hex;
import static dev.firelensrouter.ingest.ForwardTestSupport.pack;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firelensrouter.config.ForwardInputConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;

/** The digest vectors of forward-protocol.md §2.5 and the server's PING checks. */
class SharedKeyHandshakeTest {
  private static final byte[] NONCE = hex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] AUTH = hex("101112131415161718191a1b1c1d1e1f");
  private static final String PING_DIGEST =
      "7cee080586deb1cca9d7ebabb3d80fc41c993da8572b2e0cd4c553bbbb39cadc5a6580550316152513658b8277542ab2dde1a68c8e85e4d3fa5e2574e9f44721";
  private static final String PONG_DIGEST =
      "a1abb5fd3c13e1c334df4f8264cba430c3ce7f6d4ede33d381ddb36dbd72772af2ca0b15d30e13dd0527f5c1202db40a17a59c5086a77364c21c296fc287fcb8";
  private static final String PASSWORD_DIGEST =
      "b469e5b2e02edec4e396b98615030e025c688a2629056b456822ec2d885c34a594af48a45833a6c09b17b9aec1ccd0adcab444dda4c70ebc510dbe6c485a8c80";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private final SharedKeyHandshake server =
      new SharedKeyHandshake(
          "shared-secret", "server-node", List.of(new ForwardInputConfig.User("alice", "s3cr3t")));

  private static byte[] ping(String host, byte[] salt, String digest, String user, String pw) {
    return pack(
        p -> {
          p.packArrayHeader(6).packString("PING").packString(host);
          p.packRawStringHeader(salt.length).writePayload(salt);
          p.packString(digest).packString(user).packString(pw);
        });
  }

  private static Value unpack(byte[] bytes) throws Exception {
    return MessagePack.newDefaultUnpacker(bytes).unpackValue();
  }

  @Test
  void matchesFluentdsClientDigestVector() {
    assertThat(
            SharedKeyHandshake.sha512Hex(
                b("ce1897b0d3dbd76b90d7fb96010dcac3"),
                b("client_hostname"),
                b(""),
                b("shared_key")))
        .isEqualTo(
            "40a3c5943cc6256e0c5dcf176e97db3826b0909698c330dc8e53d15af63efb47e030d113130255dd6e7ced5176d2999cc2e02a44852d45152503af317b73b33f");
  }

  @Test
  void matchesThePingPongAndPasswordVectorsOverRawNonceBytes() {
    assertThat(
            SharedKeyHandshake.sha512Hex(
                b("client-salt-1234"), b("client-node"), NONCE, b("shared-secret")))
        .isEqualTo(PING_DIGEST);
    assertThat(
            SharedKeyHandshake.sha512Hex(
                b("client-salt-1234"), b("server-node"), NONCE, b("shared-secret")))
        .isEqualTo(PONG_DIGEST);
    assertThat(SharedKeyHandshake.sha512Hex(AUTH, b("alice"), b("s3cr3t")))
        .isEqualTo(PASSWORD_DIGEST);
  }

  @Test
  void acceptsAValidPingAndAnswersWithTheServerDigest() throws Exception {
    SharedKeyHandshake.Outcome o =
        server.check(
            ping("client-node", b("client-salt-1234"), PING_DIGEST, "alice", PASSWORD_DIGEST),
            NONCE,
            AUTH);
    assertThat(o.accepted()).isTrue();
    assertThat(unpack(o.pong()).toJson())
        .isEqualTo("[\"PONG\",true,\"\",\"server-node\",\"" + PONG_DIGEST + "\"]");
  }

  @Test
  void refusesAWrongPasswordWithAReason() throws Exception {
    SharedKeyHandshake.Outcome o =
        server.check(
            ping("client-node", b("client-salt-1234"), PING_DIGEST, "alice", "0".repeat(128)),
            NONCE,
            AUTH);
    assertThat(o.accepted()).isFalse();
    assertThat(unpack(o.pong()).toJson())
        .isEqualTo("[\"PONG\",false,\"username/password mismatch\",\"\",\"\"]");
  }

  @Test
  void refusesAWrongSharedKey() {
    String wrong =
        SharedKeyHandshake.sha512Hex(b("client-salt-1234"), b("client-node"), NONCE, b("nope"));
    assertThat(
            server
                .check(
                    ping("client-node", b("client-salt-1234"), wrong, "alice", PASSWORD_DIGEST),
                    NONCE,
                    AUTH)
                .reason())
        .isEqualTo("shared_key mismatch");
  }

  @Test
  void refusesAnythingThatIsNotASixElementPing() {
    byte[] fiveElements =
        pack(
            p ->
                p.packArrayHeader(5)
                    .packString("PING")
                    .packString("a")
                    .packString("b")
                    .packString("c")
                    .packString("d"));
    byte[] event = pack(p -> p.packArrayHeader(3).packString("tag").packLong(1).packMapHeader(0));
    assertThat(server.check(fiveElements, NONCE, AUTH).reason()).isEqualTo("invalid ping message");
    assertThat(server.check(event, NONCE, AUTH).reason()).isEqualTo("invalid ping message");
  }

  @Test
  void computesDigestsOverSaltAndNonceBytesThatAreNotUtf8() {
    byte[] salt = hex("fffe0080c3281122");
    byte[] nonce = hex("80818283fffefdfc00");
    SharedKeyHandshake noUsers = new SharedKeyHandshake("k", "server", List.of());
    String digest = SharedKeyHandshake.sha512Hex(salt, b("c"), nonce, b("k"));
    assertThat(noUsers.check(ping("c", salt, digest, "", ""), nonce, new byte[0]).accepted())
        .isTrue();
  }
}
