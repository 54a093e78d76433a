package dev.molt.node.spi;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import org.slf4j.Logger;

/** What a behaviour may use while it handles a message. Valid only inside that call. */
public interface BehaviourContext<M> {

  /** This actor, for messages of the same release. */
  ActorRef<M> self();

  /** This actor as seen by stable code and other releases: it accepts envelopes. */
  ActorRef<Envelope> selfForEnvelopes();

  Logger log();

  /**
   * Another actor of this application on this node, found through the supervision tree: the child
   * {@code child} of supervisor {@code supervisor} (a static child's name, or a dynamic child's key).
   * Empty when it does not run (yet), or when this actor was not started by a tree.
   */
  java.util.Optional<ActorRef<Envelope>> peer(String supervisor, String child);

  ReleaseJson json();

  /** An envelope of this version's message schema, for replies to stable code or other releases. */
  Envelope envelope(String type, Object payload);

  /**
   * Sends {@code payload} as an envelope of {@code type} to {@code to}; a message sent without a
   * reply-to (fire and forget) has nobody to answer, and this does nothing.
   */
  default void reply(ActorRef<Envelope> to, String type, Object payload) {
    if (to != null) {
      to.tell(envelope(type, payload));
    }
  }

  /**
   * Timers of this actor. The host cancels them all at each code change, because a pending timer
   * message of the old release would pin its class loader; {@link VersionedBehaviour#onActivate}
   * re-arms them.
   */
  void startSingleTimer(Object key, M message, Duration delay);

  void startTimerWithFixedDelay(Object key, M message, Duration delay);

  void cancelTimer(Object key);

  /**
   * Ends this actor once the current message is handled. A sharded entity is passivated through its
   * shard (messages sent meanwhile wait in the shard and start it again, on the current release,
   * with its start state); a tree child stops normally, so its supervisor restarts it only when it
   * is {@code permanent} (OTP: a transient or temporary child that exits normally stays down).
   */
  void stop();
}
