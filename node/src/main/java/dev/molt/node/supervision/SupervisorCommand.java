package dev.molt.node.supervision;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.release.SupervisorSpec;

/** What a {@link TreeSupervisor} is told: by installs (child changes, spec updates) and by clients. */
public sealed interface SupervisorCommand {

  /** Starts a static child of the current spec (OTP's {@code supervisor:restart_child}). */
  record StartChild(String child, ActorRef<SupervisorReply> replyTo) implements SupervisorCommand {}

  /** Stops a child and forgets it (OTP's {@code terminate_child} + {@code delete_child}). */
  record StopChild(String child, ActorRef<SupervisorReply> replyTo) implements SupervisorCommand {}

  /** Takes a new spec; running children are left as they are. */
  record UpdateSpec(SupervisorSpec spec, ActorRef<SupervisorReply> replyTo) implements SupervisorCommand {}

  /**
   * Hands {@code message} to the dynamic child {@code key}, starting it first if it does not run
   * (one actor per key, as Cluster Sharding starts entities).
   */
  record Deliver(String key, Object message) implements SupervisorCommand {}

  /** Answers with the supervisor's spec and running children. */
  record Describe(ActorRef<SupervisorReply> replyTo) implements SupervisorCommand {}

  /**
   * Answers {@code Done} once every static child has started (a worker answered its first message,
   * so its start state and activation ran; a nested supervisor answered this in turn), as OTP's
   * {@code supervisor:start_link} returns once each child's {@code init} did. A child that does not
   * start makes the supervisor restart it, and give up past its intensity: the caller watches.
   */
  record AwaitStarted(ActorRef<SupervisorReply> replyTo) implements SupervisorCommand {}

  /** Internal: a static child, {@code ref}, answered (or not: {@code failure}) its first message. */
  record ChildStarted(String child, ActorRef<?> ref, Throwable failure) implements SupervisorCommand {}
}
