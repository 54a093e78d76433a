package dev.molt.node.entity;

import java.util.Set;

/** An entity type the node's current release does not declare; the message names the known ones. */
public final class UnknownEntityTypeException extends IllegalArgumentException {
  private final String type;

  public UnknownEntityTypeException(String type, Set<String> known) {
    super("unknown entity type '" + type + "': the current release declares " + (known.isEmpty() ? "none" : known));
    this.type = type;
  }

  public String type() {
    return type;
  }
}
