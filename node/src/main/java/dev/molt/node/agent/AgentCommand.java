package dev.molt.node.agent;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;

/**
 * What the node agent (OTP's {@code release_handler}) is asked to do. Each is answered with an
 * {@link AgentReply}. Not sealed: the agent adds private messages of its own.
 */
public interface AgentCommand {

  /** OTP's {@code unpack_release}: verify a bundle and put it in the store, loaded and warmed. */
  record Unpack(Path bundle, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** The plan from the current release to {@code target}, changing nothing. */
  record Plan(ReleaseId target, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** OTP's {@code install_release}: run the plan to {@code target}, up or down. */
  record Install(ReleaseId target, InstallMode mode, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** OTP's {@code make_permanent}: a restart will boot {@code release}. */
  record MakePermanent(ReleaseId release, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** OTP's {@code which_releases}. */
  record WhichReleases(ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** OTP's {@code remove_release}: refused for the permanent and the current release. */
  record Remove(ReleaseId release, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** Hands a message to the dynamic child {@code key} of {@code supervisor}, starting it if needed. */
  record Deliver(String supervisor, String key, Object message) implements AgentCommand {}

  /** The running application's tree, for local callers (tests, routes on this node). */
  record GetTree(ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** What the node runs, its releases' statuses, whether an install runs, how many actors live. */
  record DescribeNode(ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /**
   * Sets the node's write schema floor of {@code release}'s application: its hosts write envelopes
   * that leave their release in the schemas {@code release} reads, so nodes still running it read
   * them. Answered with {@code Done}, or {@code Failed} for a release the node does not have.
   */
  record SetSchemaFloor(ReleaseId release, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** Lifts {@code application}'s write schema floor: each version writes its own schema again. */
  record LiftSchemaFloor(String application, ActorRef<AgentReply> replyTo) implements AgentCommand {}

  /** Progress events of every install from now on. */
  record Subscribe(ActorRef<ProgressEvent> subscriber) implements AgentCommand {}
}
