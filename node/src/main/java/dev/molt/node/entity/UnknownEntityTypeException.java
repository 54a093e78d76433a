package dev.molt.node.entity;

import dev.molt.protocol.release.ReleaseId;
import java.util.Optional;
import java.util.Set;

/**
 * An entity type the node's current release does not declare; the message names the known ones,
 * and the release that dropped the type when one did.
 */
public final class UnknownEntityTypeException extends UnknownActorException {
  private final String type;

  public UnknownEntityTypeException(String type, Set<String> known) {
    this(type, known, Optional.empty());
  }

  public UnknownEntityTypeException(String type, Set<String> known, Optional<ReleaseId> droppedBy) {
    super("unknown entity type '" + type + "'" + droppedBy.map(r -> " (dropped by release " + r + ")").orElse("")
        + ": the current release declares " + (known.isEmpty() ? "none" : known));
    this.type = type;
  }

  public String type() {
    return type;
  }
}
