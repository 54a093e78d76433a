package dev.molt.orchestrator.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key stores for tests, made by the script the local cluster uses ({@code deploy/local/dev-certs.sh},
 * keytool only): one generator for scripts and tests.
 */
public final class DevCerts {
  private static final Path SCRIPT = Path.of(System.getProperty("molt.dev-certs", "../deploy/local/dev-certs.sh"));

  private final Path dir;

  private DevCerts(Path dir) {
    this.dir = dir;
  }

  /** Starts generating a CA under {@code dir} and one store per name; {@link Pending#await} for it. */
  public static Pending generate(Path dir, String... names) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), dir.toString()));
    command.addAll(List.of(names));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolveSibling(dir.getFileName() + ".out").toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    return new Pending(new DevCerts(dir), builder.start());
  }

  /** A generation under way (keytool is slow on a loaded machine: several can run at once). */
  public record Pending(DevCerts certs, Process process) {
    public DevCerts await() throws IOException, InterruptedException {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("dev-certs.sh " + certs.dir + " did not finish in 5 minutes");
      }
      if (process.exitValue() != 0) {
        Path out = certs.dir.resolveSibling(certs.dir.getFileName() + ".out");
        throw new AssertionError("dev-certs.sh " + certs.dir + " failed: " + Files.readString(out));
      }
      return certs;
    }
  }

  public Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  public String password() throws IOException {
    return Files.readString(dir.resolve("password"), StandardCharsets.UTF_8).strip();
  }

  /** The -D options of a node on Artery TLS with {@code name}'s store, trusting this CA. */
  public List<String> clusterTls(String name) throws IOException {
    return List.of("-Dmolt.cluster.tls.enabled=on",
        "-Dmolt.cluster.tls.key-store=" + dir.resolve(name + ".p12"),
        "-Dmolt.cluster.tls.key-store-password=" + password(),
        "-Dmolt.cluster.tls.trust-store=" + dir.resolve("truststore.p12"),
        "-Dmolt.cluster.tls.trust-store-password=" + password());
  }

  /** The -D options of a node serving its management port over HTTPS with {@code name}'s store. */
  public List<String> managementHttps(String name) throws IOException {
    return List.of("-Dmolt.http.tls.enabled=on",
        "-Dmolt.http.tls.key-store=" + dir.resolve(name + ".p12"),
        "-Dmolt.http.tls.key-store-password=" + password());
  }
}
