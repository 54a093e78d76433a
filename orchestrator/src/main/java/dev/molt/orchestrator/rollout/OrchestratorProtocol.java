package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.MoltSerializable;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the orchestrator singleton is asked (through its proxy, from any node) and answers. */
public final class OrchestratorProtocol {
  private OrchestratorProtocol() {}

  public interface Command extends MoltSerializable {}

  /**
   * Who asked, for a command from an HTTP client: the user, the node that accepted the request and
   * that node's credentials fingerprint, which the singleton compares with its own ({@link CredentialsGate}).
   * Null for commands from inside the cluster.
   */
  public record Caller(String user, String node, String fingerprint) implements MoltSerializable {}

  /** A node stored an uploaded bundle: send it to every other node before anyone installs it. */
  public record Distribute(ReleaseId release, String holder, Caller caller, ActorRef<Reply> replyTo) implements Command {}

  /** A node asks whether its credentials are the cluster's (those of the singleton's node). */
  public record CheckCredentials(String node, String fingerprint, ActorRef<Reply> replyTo) implements Command {}

  /** The credentials fingerprint of each node that checked its own, as {@code /molt/cluster} shows them. */
  public record GetFingerprints(ActorRef<Reply> replyTo) implements Command {}

  public record GetCluster(ActorRef<Reply> replyTo) implements Command {}

  /** Each node's compiled script for the target, which the orchestrator resolves as for {@link StartRollout}. */
  public record PlanFor(TargetRequest target, Caller caller, ActorRef<Reply> replyTo) implements Command {
    public PlanFor(TargetRequest target, ActorRef<Reply> replyTo) {
      this(target, null, replyTo);
    }
  }

  /**
   * A rollout of the target as the client named it, resolved once by the orchestrator against the
   * statuses it gathers ({@link RolloutStart#resolve}); {@code requestId}: the client's Idempotency-Key, or null;
   * a repeat answers the first result.
   */
  public record StartRollout(TargetRequest target, RolloutOptions options, String requestId, Caller caller,
      ActorRef<Reply> replyTo) implements Command {
    public StartRollout(TargetRequest target, RolloutOptions options, String requestId, ActorRef<Reply> replyTo) {
      this(target, options, requestId, null, replyTo);
    }

    /** A rollout of a release named by its id. */
    public StartRollout(RolloutSpec spec, String requestId, ActorRef<Reply> replyTo) {
      this(TargetRequest.of(spec.target()), spec.options(), requestId, null, replyTo);
    }

    public StartRollout(RolloutSpec spec, ActorRef<Reply> replyTo) {
      this(spec, null, replyTo);
    }
  }

  public record GetRollout(String id, ActorRef<Reply> replyTo) implements Command {}

  public record ListRollouts(ActorRef<Reply> replyTo) implements Command {}

  /** A client's control of a rollout; {@code requestId} as for {@link StartRollout}. */
  public record Control(String id, ControlAction action, String requestId, Caller caller, ActorRef<Reply> replyTo)
      implements Command {
    public Control(String id, ControlAction action, ActorRef<Reply> replyTo) {
      this(id, action, null, null, replyTo);
    }

    /** Who asked, as the rollout's record names them. */
    String user() {
      return caller == null ? null : caller.user();
    }
  }

  /** Where an API command wants its answer; empty for the singleton's internal messages. */
  static Optional<ActorRef<Reply>> replyTo(Command command) {
    if (command instanceof StartRollout s) {
      return Optional.of(s.replyTo());
    } else if (command instanceof GetRollout g) {
      return Optional.of(g.replyTo());
    } else if (command instanceof ListRollouts l) {
      return Optional.of(l.replyTo());
    } else if (command instanceof Control c) {
      return Optional.of(c.replyTo());
    } else if (command instanceof GetCluster g) {
      return Optional.of(g.replyTo());
    } else if (command instanceof PlanFor p) {
      return Optional.of(p.replyTo());
    } else if (command instanceof Distribute d) {
      return Optional.of(d.replyTo());
    } else if (command instanceof CheckCredentials c) {
      return Optional.of(c.replyTo());
    } else if (command instanceof GetFingerprints f) {
      return Optional.of(f.replyTo());
    }
    return Optional.empty();
  }

  public interface Reply extends MoltSerializable {}

  public record Accepted(String id) implements Reply {}

  /** An error for the HTTP client: its status, a short error and the detail. */
  public record Problem(int status, String error, String detail) implements Reply {}

  public record RolloutView(Rollout rollout) implements Reply {}

  public record Rollouts(List<Rollout> rollouts) implements Reply {}

  public record ClusterView(List<NodeStatus> nodes, List<String> unreachable) implements Reply {}

  public record Plans(Map<String, String> plans, Map<String, String> errors) implements Reply {}

  public record CredentialsAgree(String fingerprint) implements Reply {}

  /** {@code cluster}: the singleton's node's fingerprint; {@code nodes}: each node's, as it last checked. */
  public record Fingerprints(String cluster, Map<String, String> nodes) implements Reply {}

  public record Distributed(ReleaseId release, List<String> stored, List<String> failed) implements Reply {}
}
