package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * moltctl talks to an HTTPS management port: it trusts the CA given with {@code --cacert} or
 * {@code MOLT_CA_CERT}, and without it the handshake fails with a line that says what to give.
 * The server's key store is made by deploy/local/dev-certs.sh, as the local cluster's.
 */
class MoltCtlHttpsTest {
  @TempDir static Path work;
  static HttpsServer server;
  static String url;
  static final AtomicInteger answered = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Path certs = work.resolve("certs");
    ProcessBuilder script = new ProcessBuilder("bash", "local/dev-certs.sh", certs.toString(), "node-1")
        .redirectErrorStream(true).redirectOutput(work.resolve("dev-certs.out").toFile());
    script.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = script.start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "dev-certs.sh did not finish");
    assertEquals(0, process.exitValue(), Files.readString(work.resolve("dev-certs.out")));

    char[] password = Files.readString(certs.resolve("password")).strip().toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(certs.resolve("node-1.p12"))) {
      keys.load(in, password);
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext("/molt/cluster", exchange -> {
      answered.incrementAndGet();
      byte[] body = "{\"members\": []}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = "https://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static Path caCertificate() {
    return work.resolve("certs/ca.pem");
  }

  @Test
  void theCaGivenWithCacertIsTrusted() {
    int before = answered.get();
    var run = Recorded.moltctl(Map.of(), false, "--url", url, "--cacert", caCertificate().toString(), "cluster");
    assertEquals(0, run.exit(), run.err());
    assertEquals(before + 1, answered.get());
  }

  @Test
  void theCaFromTheEnvironmentIsTrusted() {
    int before = answered.get();
    var run = Recorded.moltctl(Map.of("MOLT_CA_CERT", caCertificate().toString()), false, "--url", url, "cluster");
    assertEquals(0, run.exit(), run.err());
    assertEquals(before + 1, answered.get());
  }

  @Test
  void withoutTheCaTheHandshakeFailsAndSaysWhatToGive() {
    int before = answered.get();
    var run = Recorded.moltctl(Map.of(), false, "--url", url, "cluster");
    assertEquals(Exit.ERROR.code, run.exit());
    assertTrue(run.err().startsWith("moltctl: cannot reach " + url + "/molt/cluster: TLS handshake failed ("), run.err());
    assertTrue(run.err().strip().endsWith("give the server's CA certificate with --cacert or MOLT_CA_CERT"), run.err());
    assertEquals(before, answered.get());
  }

  @Test
  void aMissingCaFileIsAUsageError() {
    Path missing = work.resolve("nowhere.pem");
    var run = Recorded.moltctl(Map.of(), false, "--url", url, "--cacert", missing.toString(), "cluster");
    assertEquals(Exit.USAGE.code, run.exit());
    assertEquals(List.of("moltctl: no CA certificate file at " + missing + " (--cacert / MOLT_CA_CERT / config 'cacert')"),
        run.err().lines().toList());
  }
}
