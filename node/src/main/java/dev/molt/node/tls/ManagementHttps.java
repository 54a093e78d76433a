package dev.molt.node.tls;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.Http;
import akka.management.javadsl.ManagementRouteProviderSettings;
import com.typesafe.config.Config;
import java.security.GeneralSecurityException;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for the management port ({@code molt.http.tls}): Akka Management's own HTTPS support, a
 * server context from the configured key store handed to {@code AkkaManagement.start}. Off by
 * default. With a trust store too, the node's own HTTPS clients trust it: Cluster Bootstrap probes
 * the other nodes' management ports with the scheme this node serves, through Akka HTTP's default
 * client context.
 */
public final class ManagementHttps {
  static final String PATH = "molt.http.tls";
  private static final Logger log = LoggerFactory.getLogger(ManagementHttps.class);

  private ManagementHttps() {}

  /** What {@code AkkaManagement.start} is given: HTTPS when {@code molt.http.tls.enabled}, else the settings as they are. */
  public static Function<ManagementRouteProviderSettings, ManagementRouteProviderSettings> settings(ActorSystem<?> system) {
    Config config = system.settings().config();
    if (!config.getBoolean(PATH + ".enabled")) {
      return settings -> settings;
    }
    KeyStores.Store keys = KeyStores.open(config, PATH + ".key-store", PATH + ".key-store-password");
    SSLContext server = serverContext(keys);
    if (!config.getString(PATH + ".trust-store").isBlank()) {
      KeyStores.Store trust = KeyStores.open(config, PATH + ".trust-store", PATH + ".trust-store-password");
      Http.get(system).setDefaultClientHttpsContext(ConnectionContext.httpsClient(clientContext(trust)));
      log.info("management HTTPS: clients of this node (Cluster Bootstrap's probes) trust {}", trust.path());
    }
    log.info("management HTTPS: key store {} ({} entries)", keys.path(), keys.entries());
    return settings -> settings.withHttpsConnectionContext(ConnectionContext.httpsServer(server));
  }

  static SSLContext serverContext(KeyStores.Store keys) {
    try {
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys.keyStore(), keys.password().toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(PATH + ".key-store " + keys.path() + ": no usable key (" + e.getMessage() + ")", e);
    }
  }

  static SSLContext clientContext(KeyStores.Store trust) {
    try {
      return TrustContexts.fromStore(trust.keyStore());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(PATH + ".trust-store " + trust.path() + ": " + e.getMessage(), e);
    }
  }
}
