package dev.molt.orchestrator.boot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.dispatch.HostDispatcher;
import java.io.File;

/**
 * A node's configuration: {@code -D} system properties, then the file named by {@code MOLT_CONFIG}
 * (or {@code -Dmolt.config}) if any, then {@code molt-node.conf} and the libraries' defaults; with
 * {@code molt.cluster.tls} on, Artery's TLS settings over all of it ({@link ClusterTls}).
 */
final class NodeConfig {
  private NodeConfig() {}

  static Config load() {
    Config config = ClusterTls.apply(read());
    // Refused here, before the ActorSystem: a node whose hosts have nowhere to run must not start.
    HostDispatcher.from(config);
    return config;
  }

  private static Config read() {
    Config base = ConfigFactory.load("molt-node");
    String file = System.getProperty("molt.config", System.getenv("MOLT_CONFIG"));
    if (file == null || file.isBlank()) {
      return base;
    }
    File extra = new File(file);
    if (!extra.isFile()) {
      throw new IllegalArgumentException("MOLT_CONFIG names " + extra.getAbsolutePath() + ", which is not a file");
    }
    return ConfigFactory.systemProperties()
        .withFallback(ConfigFactory.parseFile(extra))
        .withFallback(base)
        .resolve();
  }
}
