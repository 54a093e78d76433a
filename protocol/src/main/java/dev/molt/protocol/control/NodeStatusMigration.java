package dev.molt.protocol.control;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Protocol versions of {@link ControlMessages.NodeStatus}: version 2 added {@code ready}, version 3
 * {@code stuckThreads} and {@code licence}, version 4 {@code applications} (null from an older agent: not reported). A status from a version-1 agent is read as ready unless it was installing; one
 * from a version-2 agent has no licence and no stuck threads (null: not reported, which the cluster view shows). Newer
 * fields sent to an older reader are ignored by Akka's Jackson settings, so both directions talk.
 */
public final class NodeStatusMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 4;
  }

  /** A status from an agent one version ahead is read too: fields this version lacks are ignored. */
  @Override
  public int supportedForwardVersion() {
    return currentVersion() + 1;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion < 2 && json instanceof ObjectNode status && !status.has("ready")) {
      status.put("ready", !status.path("installing").asBoolean(false));
    }
    return json;
  }
}
