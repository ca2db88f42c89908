package dev.firelensrouter.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throwaway self-signed certificate for {@code 127.0.0.1}, made with the running JDK's {@code
 * keytool}, for emulators that must speak HTTPS. Clients are expected not to verify it.
 */
public final class LoopbackTls {
  private static final char[] PASSWORD = "sandbox".toCharArray();

  private LoopbackTls() {}

  /**
   * A server context whose key and certificate live in {@code dir/sandbox-tls.p12}; the certificate
   * alone, for clients to trust, in {@link #certificate(Path) dir/sandbox-tls.pem}.
   */
  public static SSLContext serverContext(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path store = dir.resolve("sandbox-tls.p12");
    if (!Files.exists(store)) {
      generate(store);
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          "sandbox",
          "-keystore",
          store.toString(),
          "-storepass",
          new String(PASSWORD),
          "-file",
          certificate(dir).toString());
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load " + store + ": " + e.getMessage(), e);
    }
  }

  /** The PEM certificate of {@link #serverContext}. */
  public static Path certificate(Path dir) {
    return dir.resolve("sandbox-tls.pem");
  }

  private static void generate(Path store) throws IOException {
    keytool(
        "-genkeypair",
        "-alias",
        "sandbox",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "30",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        new String(PASSWORD));
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool could not make a certificate: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making a certificate", e);
    }
  }
}
