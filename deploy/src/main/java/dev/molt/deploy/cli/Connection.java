package dev.molt.deploy.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import dev.molt.node.tls.TrustContexts;

/**
 * Where moltctl connects and as whom. Each value comes from the first that has it: the command
 * line ({@code --url}, {@code --user}), the environment ({@code MOLT_URL}, {@code MOLT_ADMIN_USER},
 * {@code MOLT_ADMIN_PASSWORD}, as the nodes read them), the config file ({@code --config}, else
 * {@code ~/.config/molt/moltctl.properties} when it exists: keys {@code url}, {@code user},
 * {@code password}), then the local cluster's defaults ({@code http://127.0.0.1:$MOLT_PORT_BASE},
 * 8558 as deploy/local/cluster.sh; user admin). The password has no option: a command line is
 * visible to every user of the machine. For an https URL, the CA certificate to trust comes from
 * {@code --cacert}, {@code MOLT_CA_CERT} or the key {@code cacert} (else the JDK's CAs).
 */
record Connection(URI base, String user, String password, Path caCertificate) {
  static final Path DEFAULT_CONFIG = Path.of(".config", "molt", "moltctl.properties");
  private static final Set<String> KEYS = Set.of("url", "user", "password", "cacert");

  static Connection resolve(String url, String user, Path config, Path caCert, Map<String, String> env) {
    Properties file = read(config, env);
    String base = first(url, env.get("MOLT_URL"), file.getProperty("url"),
        "http://127.0.0.1:" + env.getOrDefault("MOLT_PORT_BASE", "8558"));
    URI uri = url(base);
    // deploy/bin/moltctl passes a local cluster's password as a last resort, for loopback URLs only:
    // it must never reach another host, nor override the user's own settings.
    String local = isLoopback(uri) ? env.get("MOLT_LOCAL_ADMIN_PASSWORD") : null;
    return new Connection(uri, first(user, env.get("MOLT_ADMIN_USER"), file.getProperty("user"), "admin"),
        first(null, env.get("MOLT_ADMIN_PASSWORD"), file.getProperty("password"), local, ""),
        caCert(caCert, first(null, env.get("MOLT_CA_CERT"), file.getProperty("cacert"))));
  }

  ApiClient client() {
    if (caCertificate == null) {
      return new ApiClient(user, password, null);
    }
    try {
      return new ApiClient(user, password, TrustContexts.fromCertificates(caCertificate));
    } catch (IOException | GeneralSecurityException e) {
      throw new CliFailure(Exit.USAGE, "CA certificate " + caCertificate + " (--cacert / MOLT_CA_CERT) is not usable: " + e.getMessage());
    }
  }

  private static Path caCert(Path option, String setting) {
    Path file = option != null ? option : setting.isEmpty() ? null : Path.of(setting);
    if (file != null && !Files.isRegularFile(file)) {
      throw new CliFailure(Exit.USAGE, "no CA certificate file at " + file + " (--cacert / MOLT_CA_CERT / config 'cacert')");
    }
    return file;
  }

  URI resolve(String path) {
    return base.resolve(path);
  }

  private static Properties read(Path given, Map<String, String> env) {
    Properties properties = new Properties();
    Path file = given;
    if (file == null) {
      Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
      file = home.resolve(DEFAULT_CONFIG);
      if (!Files.isRegularFile(file)) {
        return properties;
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new CliFailure(Exit.USAGE, "no config file at " + file + " (--config)");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new CliFailure("cannot read the config file " + file + ": " + ApiClient.reason(e));
    }
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new CliFailure(Exit.USAGE, "config file " + file + ": unknown key(s) " + unknown + "; known: url, user, password, cacert");
    }
    return properties;
  }

  private static boolean isLoopback(URI uri) {
    String host = uri.getHost();
    return host != null && (host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127."));
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return "";
  }

  static URI url(String text) {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || uri.getHost() == null || !uri.getScheme().matches("https?")) {
        throw new IllegalArgumentException("no http scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new CliFailure(Exit.USAGE, "URL '" + text + "' is not an http URL like http://127.0.0.1:8558");
    }
  }
}
