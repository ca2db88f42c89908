package dev.firelensrouter.ingest;

import java.security.SecureRandom;

/** Where the handshake's HELO nonce and auth salt come from (injectable for replay tests). */
@FunctionalInterface
public interface NonceSource {
  /** 16 fresh bytes. */
  byte[] next();

  static NonceSource secureRandom() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] b = new byte[16];
      random.nextBytes(b);
      return b;
    };
  }
}
