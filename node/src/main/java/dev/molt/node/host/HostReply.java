package dev.molt.node.host;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.release.ReleaseId;

/**
 * Answers to {@link HostCommand}s. {@code actor} is the host's path name, for logs and errors.
 * {@link State} and {@link Failed} cross nodes (a state read of a sharded entity).
 */
public sealed interface HostReply {

  String actor();

  /**
   * Suspended or resumed; on resume {@code replayed} counts the stashed messages handed back and
   * {@code pausedNanos} how long the host was suspended.
   */
  record Done(String actor, String command, int replayed, long pausedNanos) implements HostReply {}

  /** Suspended, lending what a migration prepared outside the host reads. Local only. */
  record Suspended(String actor, CodeChange.Source source) implements HostReply {}

  record State(String actor, ReleaseId release, int version, JsonNode state, JsonNode carried)
      implements HostReply, MoltSerializable {}

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

  /**
   * The command was refused or failed; the host is as it was before it. {@code reason} is the
   * closed set to act on; {@code cause} the text for people.
   */
  record Failed(String actor, String command, Reason reason, String cause) implements HostReply, MoltSerializable {}

  /** Why a command failed. */
  enum Reason {
    /** Swap asked of a suspended host: it must be changed with ChangeCode, then resumed. */
    SUSPENDED,
    /** ChangeCode asked of a running host: suspend it first. */
    NOT_SUSPENDED,
    /** The target release is not loaded, lacks the behaviour, or has no migration path to it. */
    NO_TARGET,
    /** The release code of the migration threw or ran over its budget. */
    MIGRATION_FAILED,
    /** The target was purged while the host was moving to it. */
    PURGED,
    /** The new code's activation failed; the host went back to its previous code. */
    ACTIVATION_FAILED,
    /** A replacement state was refused by the current code. */
    STATE_REJECTED,
    /** A state read of a sharded entity that does not run: it was not started just to be read. */
    NOT_RUNNING,
    /** A command that came while the host swapped code with its stash full: it was not run. */
    BUSY
  }
}
