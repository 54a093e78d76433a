package dev.molt.orchestrator.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.molt.orchestrator.cluster.DevCerts;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code molt.cluster.tls} becomes Artery's mutual TLS, or refuses the node naming the setting. */
class ClusterTlsTest {
  @TempDir static Path work;
  static DevCerts certs;

  @BeforeAll
  static void generate() throws Exception {
    certs = DevCerts.generate(work.resolve("ca"), "node-1").await();
  }

  private static Config node(String... settings) throws Exception {
    Config config = ConfigFactory.load("molt-node");
    for (String option : certs.clusterTls("node-1")) {
      String[] pair = option.substring(2).split("=", 2);
      config = config.withValue(pair[0], ConfigValueFactory.fromAnyRef(pair[1]));
    }
    for (int i = 0; i < settings.length; i += 2) {
      config = config.withValue(settings[i], ConfigValueFactory.fromAnyRef(settings[i + 1]));
    }
    return config;
  }

  @Test
  void onMeansArteryOverTlsWithMutualAuthentication() throws Exception {
    Config applied = ClusterTls.apply(node());
    assertEquals("tls-tcp", applied.getString("akka.remote.artery.transport"));
    Config engine = applied.getConfig("akka.remote.artery.ssl.config-ssl-engine");
    assertTrue(engine.getBoolean("require-mutual-authentication"));
    assertEquals(work.resolve("ca/node-1.p12").toAbsolutePath().toString(), engine.getString("key-store"));
    assertEquals(work.resolve("ca/truststore.p12").toAbsolutePath().toString(), engine.getString("trust-store"));
    assertEquals(certs.password(), engine.getString("key-password"));
    assertEquals(ClusterTls.CIPHER_SUITES, engine.getStringList("enabled-algorithms"));
    assertEquals(Optional.empty(), ClusterTls.startupWarning(applied.withValue("akka.remote.artery.canonical.hostname",
        ConfigValueFactory.fromAnyRef("10.0.0.5"))));
  }

  @Test
  void offLeavesPlainTcp() throws Exception {
    assertEquals("tcp", ClusterTls.apply(node("molt.cluster.tls.enabled", "off")).getString("akka.remote.artery.transport"));
  }

  @Test
  void aWrongPasswordRefusesTheNodeNamingTheSetting() throws Exception {
    var refused = assertThrows(IllegalArgumentException.class,
        () -> ClusterTls.apply(node("molt.cluster.tls.trust-store-password", "not-the-password")));
    assertTrue(refused.getMessage().startsWith("molt.cluster.tls.trust-store names " + work.resolve("ca/truststore.p12").toAbsolutePath()
        + ", which does not open with molt.cluster.tls.trust-store-password (wrong password"), refused.getMessage());
  }

  @Test
  void aMissingStoreOrPasswordIsNamed() throws Exception {
    Path missing = work.resolve("nowhere.p12").toAbsolutePath();
    assertEquals("molt.cluster.tls.key-store names " + missing + ", which is not a readable file",
        assertThrows(IllegalArgumentException.class,
            () -> ClusterTls.apply(node("molt.cluster.tls.key-store", missing.toString()))).getMessage());
    assertEquals("molt.cluster.tls.key-store-password is empty (the password of " + work.resolve("ca/node-1.p12") + ")",
        assertThrows(IllegalArgumentException.class,
            () -> ClusterTls.apply(node("molt.cluster.tls.key-store-password", ""))).getMessage());
  }

  @Test
  void plainTcpOffLoopbackWarnsLoudly() throws Exception {
    Config plain = node("molt.cluster.tls.enabled", "off", "akka.remote.artery.canonical.hostname", "10.0.0.5");
    String warning = ClusterTls.startupWarning(ClusterTls.apply(plain)).orElseThrow();
    assertTrue(warning.startsWith("REMOTING IS UNAUTHENTICATED: Akka remoting uses plain tcp on 10.0.0.5, not loopback"), warning);
    for (String loopback : List.of("127.0.0.1", "localhost")) {
      assertEquals(Optional.empty(), ClusterTls.startupWarning(
          plain.withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(loopback))));
    }
  }
}
