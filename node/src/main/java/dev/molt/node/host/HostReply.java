package dev.molt.node.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.protocol.release.ReleaseId;

/** Answers to {@link HostCommand}s. {@code actor} is the host's path name, for logs and errors. */
public sealed interface HostReply {

  String actor();

  /**
   * Suspended or resumed; on resume {@code replayed} counts the stashed messages handed back and
   * {@code pausedNanos} how long the host was suspended.
   */
  record Done(String actor, String command, int replayed, long pausedNanos) implements HostReply {}

  record State(String actor, ReleaseId release, int version, JsonNode state, JsonNode carried) implements HostReply {}

  record Status(
      String actor,
      ReleaseId release,
      int version,
      boolean suspended,
      int stashed,
      int stashCapacity,
      long rejected,
      long codeChanges) implements HostReply {}

  /** The host now runs {@code to}; {@code migrationNanos} is the time spent migrating state. */
  record Changed(String actor, ReleaseId from, int fromVersion, ReleaseId to, int toVersion, long migrationNanos)
      implements HostReply {}

  /** The command was refused or failed; the host is as it was before it. */
  record Failed(String actor, String command, String cause) implements HostReply {}
}
