package dev.molt.orchestrator.boot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.tls.KeyStores;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster membership needs a certificate: {@code molt.cluster.tls} turns into Akka remoting over
 * TLS ({@code akka.remote.artery.transport = tls-tcp}) with mutual authentication, so a node only
 * connects to, and accepts connections from, nodes whose certificate the trust store's CA signed.
 * Akka's {@code ConfigSSLEngineProvider} does the work; this class only maps Molt's settings onto
 * it, after checking that each store opens with its password (a node with a broken store refuses
 * to start, naming the setting, instead of failing every handshake later).
 */
final class ClusterTls {
  static final String PATH = "molt.cluster.tls";
  // TLS 1.2 with forward-secret suites for the RSA keys that keytool and cert-manager give by default.
  static final List<String> CIPHER_SUITES = List.of(
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  private ClusterTls() {}

  /** {@code config} with Artery over mutual TLS when {@code molt.cluster.tls.enabled}, else unchanged. */
  static Config apply(Config config) {
    if (!config.getBoolean(PATH + ".enabled")) {
      return config;
    }
    KeyStores.Store keys = KeyStores.open(config, PATH + ".key-store", PATH + ".key-store-password");
    KeyStores.Store trust = KeyStores.open(config, PATH + ".trust-store", PATH + ".trust-store-password");
    String engine = "akka.remote.artery.ssl.config-ssl-engine.";
    return ConfigFactory.parseMap(Map.of(
            "akka.remote.artery.transport", "tls-tcp",
            "akka.remote.artery.ssl.ssl-engine-provider", "akka.remote.artery.tcp.ConfigSSLEngineProvider",
            engine + "key-store", keys.path().toString(),
            engine + "key-store-password", keys.password(),
            engine + "key-password", keys.password(),
            engine + "trust-store", trust.path().toString(),
            engine + "trust-store-password", trust.password(),
            engine + "require-mutual-authentication", "on",
            engine + "hostname-verification", config.getString(PATH + ".hostname-verification"),
            engine + "protocol", "TLSv1.2"))
        .withFallback(ConfigFactory.parseMap(Map.of(engine + "enabled-algorithms", CIPHER_SUITES)))
        .withFallback(config);
  }

  /** The INFO line of a node on TLS, or the WARN line of a node that others can join unauthenticated. */
  static Optional<String> startupWarning(Config config) {
    String transport = config.getString("akka.remote.artery.transport");
    String host = config.getString("akka.remote.artery.canonical.hostname");
    if (transport.equals("tls-tcp") || isLoopback(host)) {
      return Optional.empty();
    }
    return Optional.of("REMOTING IS UNAUTHENTICATED: Akka remoting uses plain " + transport + " on " + host
        + ", not loopback: any process that reaches this port can join the cluster and run rollouts."
        + " Turn on molt.cluster.tls (MOLT_TLS=on with MOLT_TLS_KEY_STORE, MOLT_TLS_TRUST_STORE and their passwords;"
        + " docs/orchestrator.md, Security: transport)");
  }

  static String describe(Config config) {
    return config.getString("akka.remote.artery.transport").equals("tls-tcp")
        ? "remoting over TLS (tls-tcp, mutual authentication), key store "
            + config.getString("akka.remote.artery.ssl.config-ssl-engine.key-store") + ", trust store "
            + config.getString("akka.remote.artery.ssl.config-ssl-engine.trust-store")
        : "remoting over plain " + config.getString("akka.remote.artery.transport");
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }
}
