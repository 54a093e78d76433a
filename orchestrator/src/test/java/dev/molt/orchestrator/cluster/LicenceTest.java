package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node JVM without an Akka licence key says at start, once, when Akka will stop it, shows
 * the same time in /molt/cluster, and names the cause when it stops for another reason.
 */
class LicenceTest {
  private static final Pattern WARNING = Pattern.compile("WARN +[^ ]+ - Akka licence: no akka.license-key is set "
      + "\\(MOLT_AKKA_LICENSE_KEY\\), so Akka 2\\.8\\.8 will terminate this node at ([^ ,]+), 15 minutes after its "
      + "ActorSystem started at ([^ ]+) \\(Akka's dev-use limit; its timer, set while the system starts, may fire "
      + "seconds later\\)\\. Free development keys: https://akka\\.io/key");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  @Test
  void aKeylessNodeSaysWhenItStopsAndWhy() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 1, List.of())) {
      NodeProcess node = cluster.node(0);
      Matcher warning = WARNING.matcher(node.logText());
      assertTrue(warning.find(), "the start warning in " + node.log);
      Instant stopsAt = Instant.parse(warning.group(1));
      Instant started = Instant.parse(warning.group(2));
      assertEquals(Duration.ofMinutes(15), Duration.between(started, stopsAt));
      assertFalse(warning.find(), "one warning, not one per component");

      JsonNode member = cluster.get(0, "/molt/cluster").path("members").path(0);
      assertEquals(node.name(), member.path("node").asText());
      assertFalse(member.path("licence").path("keySet").asBoolean(true), member.toString());
      assertEquals(stopsAt.toString(), member.path("licence").path("stopsAt").asText(), member.toString());
      assertEquals(200, cluster.getResponse(0, "/ready").status(), "ready: minutes before its last one");

      node.stopGracefully();
      String log = node.logText();
      assertTrue(Pattern.compile("INFO +\\S*LicenceNotice - node stopping \\(JvmExitReason\\)").matcher(log).find(), log);
      assertFalse(log.contains("Akka's dev licence window ended"), "a SIGTERM is not the licence timer");
    }
  }
}
