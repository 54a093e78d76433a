package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.TransferResult;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;

/**
 * What a {@link RolloutRunner} hears (from the orchestrator shell, the nodes and its timers) and
 * tells the shell. Local to the singleton's node, never sent between nodes.
 */
final class RunnerProtocol {
  private RunnerProtocol() {}

  interface Msg {}

  /** How a runner begins: a new rollout, one a new singleton recovered, or a rollback of a finished one. */
  sealed interface Start {}

  /** A new rollout: {@code receivers} lack the bundle {@code holder} has; the statuses are the health baseline. */
  record Fresh(String holder, List<ActorRef<AgentRequest>> receivers, Map<String, NodeStatus> baseline) implements Start {}

  /** A rollout read from Distributed Data: ask the nodes where they are, then continue its phase. */
  record Recovered() implements Start {}

  /** A rollout already marked rolling-back (by a request on a finished rollout). */
  record RollBack() implements Start {}

  // ---- from the shell ----

  /** The node agents the Receptionist lists now (members only). */
  record AgentsNow(Map<String, ActorRef<AgentRequest>> agents) implements Msg {}

  /** A control the shell checked (the rollout exists, is the latest and is this one; repeats answered). */
  record RunControl(ControlAction action, String requestId, String user, ActorRef<Reply> replyTo) implements Msg {}

  // ---- to the shell ----

  /** The rollout changed: keep it as the view and write it to Distributed Data. */
  record Progress(Rollout rollout) implements Command {}

  /** The rollout reached a final phase; the runner stops. */
  record Finished(Rollout rollout) implements Command {}

  // ---- replies and timers, each handled only by the phase that waits for it ----

  record Transferred(TransferResult result, Throwable failure) implements Msg {}

  record NodeInstalled(int batch, String node, InstallResult result, Throwable failure) implements Msg {}

  record GateStatuses(int batch, Gather.Gathered<NodeStatus> statuses) implements Msg {}

  record NextBatch() implements Msg {}

  record MadePermanent(Gather.Gathered<Ack> acks) implements Msg {}

  record RecoverNow() implements Msg {}

  record RecoveryStatuses(Gather.Gathered<NodeStatus> statuses) implements Msg {}

  record RollbackStatus(String node, NodeStatus status, String failure) implements Msg {}

  record RolledBack(String node, InstallResult result, Throwable failure) implements Msg {}

  record RolledBackPermanent(Gather.Gathered<Ack> acks) implements Msg {}

  record FloorWritten(ReleaseId floor, SchemaFloorWriter.Ensured ensured, Throwable failure) implements Msg {}

  record FloorApplied(ReleaseId floor, String node, Ack ack, Throwable failure) implements Msg {}

  /** A request a running batch must honour once it ends (pause or rollback asked meanwhile). */
  enum AfterBatch { CONTINUE, PAUSE, ROLL_BACK }
}
