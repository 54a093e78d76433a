package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.RawBundles;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted node reads back exactly the releases it stored. The case: {@code app-1.2.3}
 * at {@code 4.5.6} came back as {@code app} at {@code 1.2.3-4.5.6}, and the node booted nothing.
 */
class ReleaseIdentityRestartTest {
  private static final ReleaseId APP = new ReleaseId("app", "1.2.3-4.5.6");
  private static final ReleaseId APP_2 = new ReleaseId("app", "2.0.0");

  @TempDir Path dir;

  @Test
  void aNameEndingInAVersionIsRefusedAndTheNodeRunsOnUnchanged() throws Exception {
    try (AgentTestKit node = AgentTestKit.runningV1()) {
      Path bundle = RawBundles.relabelled(dir, "1.0.0", "app-1.2.3", "4.5.6");
      AgentReply.UnpackRefused refused = node.expect(AgentReply.UnpackRefused.class,
          node.ask(r -> new AgentCommand.Unpack(bundle, r)));
      assertEquals(UnpackFailure.INVALID, refused.failure());
      assertEquals("invalid bundle app-1.2.3-4.5.6.molt: malformed molt-release.json: name 'app-1.2.3' must not end in "
          + "a version ('-1.2.3'): the release id 'app-1.2.3-<version>' would also read as another name and version; "
          + "keep the version in the version field", refused.reason());
      assertEquals(Map.of(MoltTestKit.V1, ReleaseStatus.PERMANENT, MoltTestKit.V2, ReleaseStatus.UNPACKED), node.statuses());
      assertEquals(MoltTestKit.V1, node.running());
    }
  }

  @Test
  void releasesAreReadBackByNameAndVersionAfterARestart() throws Exception {
    Path store;
    try (AgentTestKit node = AgentTestKit.create()) {
      store = node.molt.store;
      unpack(node, RawBundles.relabelled(dir, "1.0.0", "app", "1.2.3-4.5.6"));
      unpack(node, RawBundles.relabelled(dir, "2.0.0", "app", "2.0.0"));
      node.install(APP, InstallMode.BARRIER);
      node.install(APP_2, InstallMode.BARRIER);
      node.increment("room-1", 1);
      assertEquals(2, node.view("room-1").version());
    }
    JsonNode saved = new ObjectMapper().readTree(store.resolve(ReleaseStates.FILE).toFile());
    assertEquals("app", saved.path("permanent").path("name").asText(), saved.toString());
    assertEquals("1.2.3-4.5.6", saved.path("permanent").path("version").asText(), saved.toString());
    assertEquals("2.0.0", saved.path("current").path("version").asText(), saved.toString());

    try (AgentTestKit node = new AgentTestKit(MoltTestKit.onStore(store))) {
      assertEquals(APP, node.running(), "the permanent release boots");
      assertEquals(Map.of(APP, ReleaseStatus.PERMANENT, APP_2, ReleaseStatus.OLD), node.statuses());
      node.increment("room-1", 1);
      assertEquals(1, node.view("room-1").version(), "actors run 1.2.3-4.5.6's code");
    }
  }

  @Test
  void aReleasesFileWithPrintedIdsIsReadAndRewritten() throws Exception {
    Path store;
    try (AgentTestKit node = AgentTestKit.create()) {
      store = node.molt.store;
      unpack(node, RawBundles.relabelled(dir, "1.0.0", "app", "1.2.3-4.5.6"));
      unpack(node, RawBundles.relabelled(dir, "2.0.0", "app", "2.0.0"));
      node.install(APP, InstallMode.BARRIER);
    }
    // As the earlier Molt wrote it: printed ids.
    Files.writeString(store.resolve(ReleaseStates.FILE),
        "{\"permanent\": \"app-1.2.3-4.5.6\", \"current\": \"app-1.2.3-4.5.6\", \"old\": [\"app-2.0.0\"]}");

    try (AgentTestKit node = new AgentTestKit(MoltTestKit.onStore(store))) {
      assertEquals(APP, node.running());
      assertEquals(Map.of(APP, ReleaseStatus.PERMANENT, APP_2, ReleaseStatus.OLD), node.statuses());
    }
    JsonNode saved = new ObjectMapper().readTree(store.resolve(ReleaseStates.FILE).toFile());
    assertEquals("app", saved.path("permanent").path("name").asText(), saved.toString());
    assertEquals("1.2.3-4.5.6", saved.path("permanent").path("version").asText(), saved.toString());
    assertEquals("2.0.0", saved.path("old").path(0).path("version").asText(), saved.toString());
    assertTrue(saved.path("old").path(0).isObject(), saved.toString());
  }

  private static void unpack(AgentTestKit node, Path bundle) {
    node.expect(AgentReply.Unpacked.class, node.ask(r -> new AgentCommand.Unpack(bundle, r)));
  }
}
