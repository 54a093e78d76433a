package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * OTP's application start type: what the node does when an application's root supervisor stops.
 * OTP stops the whole node for a permanent application (and a transient one that failed); Molt
 * does not stop the JVM, it reports the node unhealthy instead, and an install during which it
 * happens fails and reverts.
 */
public enum StartType {
  /** Any stop of the application is a failure of the node. */
  PERMANENT,
  /** Only a failure (abnormal stop) of the application is a failure of the node; a normal stop is logged. */
  TRANSIENT,
  /** A stop, failed or not, is logged; the node's other applications go on. */
  TEMPORARY;

  @JsonValue
  public String json() {
    return JsonNames.of(this);
  }

  /**
   * Delegating: the start type also crosses the wire in a node's status, and Akka's Jackson mapper
   * (parameter names module) may read a one-argument creator as properties-based.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static StartType parse(String text) {
    return JsonNames.parse(values(), "startType", text);
  }

  /** Whether the application stopping, failed ({@code failed}) or not, makes the node unhealthy. */
  public boolean stopFailsNode(boolean failed) {
    return this == PERMANENT || (this == TRANSIENT && failed);
  }
}
