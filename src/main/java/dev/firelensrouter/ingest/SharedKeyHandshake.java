package dev.firelensrouter.ingest;

import dev.firelensrouter.config.ForwardInputConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The secure-forward handshake's messages: HELO, checking a PING, and the PONG reply. Every digest
 * is SHA-512 over raw bytes (nonce and salt are random binary; never a UTF-8 round trip).
 */
final class SharedKeyHandshake {
  /** The PONG to write and whether the client may send data afterwards. */
  record Outcome(boolean accepted, byte[] pong, String reason) {}

  private final byte[] sharedKey;
  private final byte[] selfHostname;
  private final List<ForwardInputConfig.User> users;

  SharedKeyHandshake(String sharedKey, String selfHostname, List<ForwardInputConfig.User> users) {
    this.sharedKey = sharedKey.getBytes(StandardCharsets.UTF_8);
    this.selfHostname = selfHostname.getBytes(StandardCharsets.UTF_8);
    this.users = users;
  }

  boolean requiresUserAuth() {
    return !users.isEmpty();
  }

  /** Lowercase hex SHA-512 of the concatenated parts. */
  static String sha512Hex(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      for (byte[] p : parts) {
        md.update(p);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 missing from the JDK", e);
    }
  }

  /** {@code ["HELO", {"nonce": nonce, "auth": auth, "keepalive": true}]}. */
  static byte[] helo(byte[] nonce, byte[] auth) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packString("HELO").packMapHeader(3);
      p.packString("nonce").packBinaryHeader(nonce.length).writePayload(nonce);
      p.packString("auth").packBinaryHeader(auth.length).writePayload(auth);
      p.packString("keepalive").packBoolean(true);
      return p.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks a PING frame against the nonce and auth salt this connection's HELO carried. */
  Outcome check(byte[] frame, byte[] nonce, byte[] auth) {
    byte[][] ping;
    try {
      ping = parsePing(frame);
    } catch (IOException | MessagePackException e) {
      ping = null;
    }
    if (ping == null) {
      return refuse("invalid ping message");
    }
    byte[] hostname = ping[0];
    byte[] salt = ping[1];
    String expected = sha512Hex(salt, hostname, nonce, sharedKey);
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), ping[2])) {
      return refuse("shared_key mismatch");
    }
    if (!users.isEmpty() && !userMatches(ping[3], ping[4], auth)) {
      return refuse("username/password mismatch");
    }
    String digest = sha512Hex(salt, selfHostname, nonce, sharedKey);
    return new Outcome(true, pong(true, "", selfHostname, digest), "");
  }

  private boolean userMatches(byte[] username, byte[] passwordDigest, byte[] auth) {
    boolean ok = false;
    for (ForwardInputConfig.User user : users) {
      byte[] name = user.username().getBytes(StandardCharsets.UTF_8);
      String expected = sha512Hex(auth, name, user.password().getBytes(StandardCharsets.UTF_8));
      ok |=
          MessageDigest.isEqual(name, username)
              && MessageDigest.isEqual(
                  expected.getBytes(StandardCharsets.US_ASCII), passwordDigest);
    }
    return ok;
  }

  private static Outcome refuse(String reason) {
    return new Outcome(false, refusal(reason), reason);
  }

  /**
   * {@code ["PONG", false, reason, "", ""]}: the reply to every failure, then the server closes.
   */
  static byte[] refusal(String reason) {
    return pong(false, reason, new byte[0], "");
  }

  static byte[] pong(boolean ok, String reason, byte[] hostname, String digest) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(5).packString("PONG").packBoolean(ok).packString(reason);
      p.packRawStringHeader(hostname.length).writePayload(hostname);
      p.packString(digest);
      return p.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** hostname, salt, digest, username, password digest as raw bytes; null if not a PING. */
  private static byte[][] parsePing(byte[] frame) throws IOException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
      if (u.getNextFormat().getValueType() != ValueType.ARRAY || u.unpackArrayHeader() != 6) {
        return null;
      }
      byte[] head = raw(u);
      if (head == null || !"PING".equals(new String(head, StandardCharsets.US_ASCII))) {
        return null;
      }
      byte[][] fields = new byte[5][];
      for (int i = 0; i < 5; i++) {
        fields[i] = raw(u);
        if (fields[i] == null) {
          return null;
        }
      }
      return fields;
    }
  }

  private static byte[] raw(MessageUnpacker u) throws IOException {
    ValueType t = u.getNextFormat().getValueType();
    if (t == ValueType.STRING) {
      return u.readPayload(u.unpackRawStringHeader());
    }
    if (t == ValueType.BINARY) {
      return u.readPayload(u.unpackBinaryHeader());
    }
    return null;
  }
}
