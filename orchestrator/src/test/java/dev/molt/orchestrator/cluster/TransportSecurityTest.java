package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.tls.TrustContexts;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
  /** How many failed handshakes each outsider must have logged while it stayed out. */
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
      HttpRequest plain = HttpRequest.newBuilder(nodes.uri(0, "/molt/cluster").toString().replace("https:", "http:")).build();
      assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()));

      nodes.node(2).start(seed, other.clusterTls("outsider"));
      nodes.node(3).start(seed, List.of());
      long deadline = System.nanoTime() + LocalCluster.WAIT.toNanos();
      while (handshakeFailures(nodes.node(2)) < ATTEMPTS || handshakeFailures(nodes.node(3)) < ATTEMPTS) {
        for (int i = 0; i < 2; i++) {
          assertOnlyTheTwo(nodes, i);
        }
        assertTrue(nodes.node(2).alive() && nodes.node(3).alive(), "an outsider stopped trying to join");
        assertTrue(System.nanoTime() < deadline, "the outsiders did not log " + ATTEMPTS + " failed handshakes each; logs in " + work);
        Thread.sleep(500);
      }
      for (int i = 0; i < 2; i++) {
        assertOnlyTheTwo(nodes, i);
      }
    }
  }

  private static long handshakeFailures(NodeProcess node) {
    return node.logText().lines().filter(l -> l.contains("SSLHandshakeException") || l.contains("handshake")).count();
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
