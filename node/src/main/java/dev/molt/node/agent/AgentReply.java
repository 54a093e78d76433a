package dev.molt.node.agent;

import dev.molt.node.supervision.ApplicationTree;
import dev.molt.protocol.WireName;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.Relup;
import java.util.List;

public sealed interface AgentReply {

  record Unpacked(ReleaseId release, String sha256) implements AgentReply {}

  /** An unpack that stored nothing: why, as a closed set, and the detail for the client. */
  record UnpackRefused(UnpackFailure failure, String reason) implements AgentReply {}

  record Planned(Relup relup, String text) implements AgentReply {}

  /**
   * The node now runs {@code to}. {@code actors} counts code changes; pauses are per actor
   * (suspended time in barrier mode, its block's suspension in pipelined mode).
   */
  record Installed(String install, ReleaseId from, ReleaseId to, InstallMode mode, int hops, int actors,
      long tookNanos, long pauseMaxNanos, long pauseP99Nanos, long pauseP50Nanos) implements AgentReply {}

  record Releases(List<ReleaseEntry> releases) implements AgentReply {}

  record Done(String what) implements AgentReply {}

  /**
   * The command failed. For an install: where ({@code step}: a described script step such as
   * {@code "change-code room"}, or the install's own stage such as {@code "plan"}; open text, so a
   * String), the actor, and whether the node went back to its previous release ({@code reverted})
   * after passing the point of no return.
   */
  record Failed(FailedCommand command, String step, String actor, String reason, boolean reverted) implements AgentReply {
    public static Failed of(FailedCommand command, String reason) {
      return new Failed(command, null, null, reason, false);
    }
  }

  /** Which command failed; {@link #json()} is the text the logs show. */
  enum FailedCommand implements WireName {
    INSTALL,
    PLAN,
    MAKE_PERMANENT,
    REMOVE,
    SCHEMA_FLOOR,
    /** The cluster agent's ask of its node agent: no answer in time. */
    LOCAL_ASK;

    @Override
    public String toString() {
      return json();
    }
  }

  record Tree(ApplicationTree tree, ReleaseId running) implements AgentReply {}

  record ActorFound(dev.molt.node.entity.ActorTarget target) implements AgentReply {}

  /** Nothing on the node has that address; {@code problem} says what is unknown and what exists. */
  record ActorUnknown(String problem) implements AgentReply {}

  record NodeInfo(ReleaseId running, ReleaseId permanent, List<ReleaseEntry> releases, boolean installing, int actors)
      implements AgentReply {}
}
