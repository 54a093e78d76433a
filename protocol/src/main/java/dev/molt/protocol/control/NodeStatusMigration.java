package dev.molt.protocol.control;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Protocol versions of {@link ControlMessages.NodeStatus}: version 2 added {@code ready}. A status
 * from a version-1 agent (one release behind) is read as ready unless it was installing. Newer
 * fields sent to an older reader are ignored by Akka's Jackson settings, so both directions talk.
 */
public final class NodeStatusMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
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
