package dev.molt.protocol.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What became of an application on a node, as its status reports it. A value added here is a new
 * version of {@link NodeStatusMigration}: an older reader cannot read a state it does not know.
 */
public enum ApplicationState {
  /** Its root supervisor runs. */
  RUNNING,
  /** It stopped on its own and its start type does not make that a failure of the node (logged). */
  STOPPED,
  /** It stopped on its own and its start type makes that a failure of the node: the node is not ready. */
  FAILED;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ApplicationState parse(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
