package dev.molt.orchestrator.http;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.RolloutStart;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The singleton as the routes see it, over one node holding game-1.0.0 (running), game-2.0.0 and
 * arcade-1.0.0: it resolves targets with the orchestrator's own {@link RolloutStart#resolve}, and puts what it
 * accepted (a rollout's spec, a plan's target, a distributed release) on {@code received}.
 */
final class StandInOrchestrator {
  static final ReleaseId GAME_1 = new ReleaseId("game", "1.0.0");
  static final ReleaseId GAME_2 = new ReleaseId("game", "2.0.0");
  static final ReleaseId ARCADE_1 = new ReleaseId("arcade", "1.0.0");
  static final NodeStatus NODE = new NodeStatus("127.0.0.1:1", GAME_1, GAME_1, List.of(
      new ReleaseEntry(ARCADE_1, ReleaseStatus.UNPACKED, "a"), new ReleaseEntry(GAME_1, ReleaseStatus.PERMANENT, "b"), new ReleaseEntry(GAME_2, ReleaseStatus.UNPACKED, "c")),
      false, 0, 0, 0, 0, true, 0, null);

  /** Who asked each start, plan, control or distribution the stand-in received ({@code user@node}). */
  static final Queue<String> CALLERS = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private StandInOrchestrator() {}

  static Behavior<OrchestratorProtocol.Command> create(Queue<Object> received) {
    return Behaviors.receiveMessage(command -> {
      caller(command).ifPresent(c -> CALLERS.add(c.user() + "@" + c.node()));
      if (command instanceof OrchestratorProtocol.GetCluster c) {
        c.replyTo().tell(new OrchestratorProtocol.ClusterView(List.of(NODE), List.of()));
      } else if (command instanceof OrchestratorProtocol.StartRollout c) {
        try {
          received.add(c.options().spec(RolloutStart.resolve(c.target(), List.of(NODE))));
          c.replyTo().tell(new OrchestratorProtocol.Accepted("r-" + received.size()));
        } catch (RolloutStart.Unresolved unresolved) {
          c.replyTo().tell(unresolved.problem());
        }
      } else if (command instanceof OrchestratorProtocol.PlanFor c) {
        try {
          received.add(RolloutStart.resolve(c.target(), List.of(NODE)));
          c.replyTo().tell(new OrchestratorProtocol.Plans(Map.of(NODE.node(), "plan"), Map.of()));
        } catch (RolloutStart.Unresolved unresolved) {
          c.replyTo().tell(unresolved.problem());
        }
      } else if (command instanceof OrchestratorProtocol.CheckCredentials c) {
        c.replyTo().tell(new OrchestratorProtocol.CredentialsAgree(c.fingerprint()));
      } else if (command instanceof OrchestratorProtocol.GetFingerprints c) {
        c.replyTo().tell(new OrchestratorProtocol.Fingerprints("a1b2c3d4", Map.of(NODE.node(), "a1b2c3d4")));
      } else if (command instanceof OrchestratorProtocol.Control c) {
        c.replyTo().tell(new OrchestratorProtocol.Problem(404, "unknown rollout", "no rollout with id '" + c.id() + "'"));
      } else if (command instanceof OrchestratorProtocol.Distribute c) {
        c.replyTo().tell(new OrchestratorProtocol.Distributed(c.release(), List.of(NODE.node()), List.of()));
      }
      return Behaviors.same();
    });
  }

  private static java.util.Optional<OrchestratorProtocol.Caller> caller(OrchestratorProtocol.Command command) {
    OrchestratorProtocol.Caller caller = command instanceof OrchestratorProtocol.StartRollout s ? s.caller()
        : command instanceof OrchestratorProtocol.PlanFor p ? p.caller()
        : command instanceof OrchestratorProtocol.Control c ? c.caller()
        : command instanceof OrchestratorProtocol.Distribute d ? d.caller() : null;
    return java.util.Optional.ofNullable(caller);
  }
}
