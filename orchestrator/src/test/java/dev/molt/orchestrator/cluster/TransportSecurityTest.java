package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.tls.TrustContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster membership needs the cluster's certificate: two nodes on Artery TLS with mutual
 * authentication (certificates of one dev CA) form a cluster, and serve their management port over
 * HTTPS that a client trusting that CA reads; a node with a certificate of another CA, and a node on
 * plain tcp, keep trying to join and never become members, and the TLS handshake failures are logged.
 */
class TransportSecurityTest {
  /** How many rounds of failed join attempts each outsider must have logged while it stayed out. */
  private static final int ATTEMPTS = 3;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void onlyNodesWithTheClustersCertificateJoin() throws Exception {
    DevCerts.Pending clusterCa = DevCerts.generate(work.resolve("cluster-ca"), "node-0", "node-1");
    DevCerts.Pending otherCa = DevCerts.generate(work.resolve("other-ca"), "outsider");
    DevCerts cluster = clusterCa.await();
    DevCerts other = otherCa.await();

    try (LocalCluster nodes = LocalCluster.allocate(work, 4).https(TrustContexts.fromCertificates(cluster.caCertificate()))) {
      int seed = nodes.node(0).remotePort;
      for (int i = 0; i < 2; i++) {
        List<String> options = new ArrayList<>(cluster.clusterTls("node-" + i));
        options.addAll(cluster.managementHttps("node-" + i));
        nodes.node(i).start(seed, options);
      }
      nodes.awaitMembers(0, 2);
      nodes.awaitMembers(1, 2);
      assertEquals(1, nodes.node(0).countLog("cluster transport: remoting over TLS (tls-tcp, mutual authentication)"),
          nodes.node(0).logText());

      // The HTTPS round trip: verified against the cluster's CA above; a client trusting only the
      // JDK's CAs is refused in the handshake, and plain HTTP gets no answer from the port.
      HttpRequest cluster0 = HttpRequest.newBuilder(nodes.uri(0, "/molt/cluster")).build();
      assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(cluster0, HttpResponse.BodyHandlers.ofString()));
      HttpRequest plain = HttpRequest.newBuilder(URI.create(nodes.uri(0, "/molt/cluster").toString().replace("https:", "http:")))
          .timeout(Duration.ofSeconds(60)).build();
      IOException refused = assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()));
      assertFalse(refused instanceof HttpTimeoutException, "plain HTTP to the HTTPS port was not refused, it timed out: " + refused);

      nodes.node(2).start(seed, other.clusterTls("outsider"));
      nodes.node(3).start(seed, List.of());
      // Both keep trying to join (Akka logs each failed round of join attempts) and stay out. The
      // outsider's TLS handshakes fail: the cluster's certificate is not of its CA (nor its own of the
      // cluster's); the plain node's connections to the TLS port are aborted or never complete their
      // Artery handshake. The cluster's nodes log refused inbound handshakes only at DEBUG (Akka).
      String retrying = "Couldn't join seed nodes after [";
      String tlsRefused = "SSLHandshakeException: PKIX path";
      String plainFailed = "stream to [akka://molt@" + nodes.node(0).name() + "] failed";
      // Each poll also checks that neither outsider got in (an AssertionError ends the wait at once).
      nodes.await("the outsiders to log " + ATTEMPTS + " rounds of failed joins each, and their failed connections", () -> {
        for (int i = 0; i < 2; i++) {
          assertOnlyTheTwo(nodes, i);
        }
        assertTrue(nodes.node(2).alive() && nodes.node(3).alive(), "an outsider stopped trying to join");
        return nodes.node(2).countLog(retrying) >= ATTEMPTS && nodes.node(3).countLog(retrying) >= ATTEMPTS
            && nodes.node(2).countLog(tlsRefused) > 0 && nodes.node(3).countLog(plainFailed) > 0;
      });
      for (int i = 0; i < 2; i++) {
        assertOnlyTheTwo(nodes, i);
      }
    }
  }

  /** Node {@code via}'s Akka membership lists exactly nodes 0 and 1, up, and nothing unreachable. */
  private static void assertOnlyTheTwo(LocalCluster nodes, int via) {
    JsonNode view = nodes.get(via, "/cluster/members");
    List<String> members = new ArrayList<>();
    view.path("members").forEach(m -> members.add(m.path("node").asText() + " " + m.path("status").asText()));
    List<String> expected = List.of("akka://molt@" + nodes.node(0).name() + " Up", "akka://molt@" + nodes.node(1).name() + " Up");
    assertEquals(expected.stream().sorted().toList(), members.stream().sorted().toList(), "node " + via + " members: " + view);
    assertEquals(0, view.path("unreachable").size(), "node " + via + ": " + view);
    assertFalse(view.toString().contains(":" + nodes.node(2).remotePort) || view.toString().contains(":" + nodes.node(3).remotePort),
        "an outsider is in node " + via + "'s view: " + view);
  }
}
