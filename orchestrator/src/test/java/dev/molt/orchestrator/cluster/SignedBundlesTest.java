package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.protocol.signing.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures on a real two-node cluster: node 1 (index 0) trusts the build's development key and a
 * rotated-in key, node 2 (index 1) only the development key. A bundle is refused on upload unless a
 * trusted key signed exactly its contents; a bundle node 1 accepted is refused again by node 2 when
 * it arrives there by distribution, on upload and in a rollout.
 */
class SignedBundlesTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void uploadAndDistributionRefuseWhatNoTrustedKeySigned() throws Exception {
    KeyPair dev = BundleCopies.devKey();
    KeyPair rotatedIn = SigningKeys.generate();
    KeyPair unknown = SigningKeys.generate();
    String devId = SigningKeys.keyId(dev.getPublic());
    String rotatedId = SigningKeys.keyId(rotatedIn.getPublic());
    String unknownId = SigningKeys.keyId(unknown.getPublic());
    List<String> twoKeys = List.of(
        "-Dmolt.bundle.trusted-keys.0=" + System.getenv("MOLT_TRUSTED_KEYS"),
        "-Dmolt.bundle.trusted-keys.1=" + SigningKeys.base64(rotatedIn.getPublic()));
    try (LocalCluster cluster = LocalCluster.start(work, 2, List.of(twoKeys))) {
      String bothKeys = "trusted keys " + devId + ", " + rotatedId + " (molt.bundle.trusted-keys)";
      assertRefused(cluster.upload(0, BundleCopies.unsigned(bundle("1.0.0"), work.resolve("unsigned.molt"))),
          "invalid bundle counter-1.0.0: unsigned bundle: it has no molt-signature.json, and this node needs a "
              + "signature by a trusted key (" + bothKeys + ")");
      assertRefused(cluster.upload(0, BundleCopies.signedBy(bundle("1.0.0"), unknown, work.resolve("unknown.molt"))),
          "invalid bundle counter-1.0.0: signed by unknown key " + unknownId + "; " + bothKeys);
      assertRefused(cluster.upload(0, BundleCopies.withExtraEntry(bundle("1.0.0"), work.resolve("tampered.molt"))),
          "invalid bundle counter-1.0.0: signature does not match the bundle's contents (key " + devId
              + "): an entry was changed, added or removed after signing");
      assertEquals(0, cluster.get(0, "/molt/releases").path("releases").size(), "nothing stored anywhere");
      assertEquals(0, files(cluster.node(0).store.resolve("releases")) + files(cluster.node(0).store.resolve("uploads")),
          "no file left in node 1's store");

      // Both keys are trusted on node 1: a bundle signed by either is stored there.
      JsonNode devSigned = cluster.upload(0, bundle("1.0.0")).body();
      assertEquals(2, devSigned.path("storedOn").size(), devSigned.toString());
      Path byRotatedKey = BundleCopies.signedBy(bundle("2.0.0"), rotatedIn, work.resolve("rotated/counter-2.0.0.molt"));
      LocalCluster.Response rotated = cluster.upload(0, byRotatedKey);
      assertEquals(201, rotated.status(), rotated.toString());
      assertEquals(List.of(cluster.node(0).name()), names(rotated.body().path("storedOn")), rotated.toString());
      // Node 2 does not trust the rotated-in key: it refused the transfer, and does so again in a rollout.
      String refusal = "signed by unknown key " + rotatedId + "; trusted keys " + devId + " (molt.bundle.trusted-keys)";
      assertEquals(List.of(cluster.node(1).name() + ": invalid bundle counter-2.0.0: " + refusal),
          names(rotated.body().path("failedOn")), rotated.toString());
      JsonNode rollout = cluster.rollout(0, "{\"target\": \"2.0.0\"}");
      assertEquals("failed", rollout.path("phase").asText(), rollout.toString());
      assertTrue(rollout.toString().contains(refusal), rollout.toString());
      assertEquals(2, cluster.node(1).countLog(refusal), "refused on each receipt");
      assertEquals(1, files(cluster.node(1).store.resolve("releases")), "node 2 holds 1.0.0 only");
      assertEquals(0, files(cluster.node(1).store.resolve("incoming")), "no partial transfer left on node 2");
    }
  }

  private static void assertRefused(LocalCluster.Response response, String detail) {
    assertEquals(400, response.status(), response.toString());
    assertEquals("invalid bundle", response.body().path("error").asText(), response.toString());
    assertEquals(detail, response.body().path("detail").asText(), response.toString());
  }

  private static List<String> names(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static long files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
