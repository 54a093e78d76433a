package dev.molt.node.spi;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
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

  /** The version of the code handling this message (the release descriptor's). */
  int version();

  /**
   * An envelope of {@code payload}, typed by its class: {@link MessageNames#nameOf} names it, this
   * version's message schema (or the node's write floor for this application, see {@code
   * docs/host.md}) shapes it.
   */
  Envelope envelope(Object payload);

  /** Sends {@code message} to an actor of another release, node or stable code, as {@link #envelope(Object)}. */
  default void tell(ActorRef<Envelope> to, Object message) {
    to.tell(envelope(message));
  }

  /**
   * Sends {@code message} to the sharded entity {@code entityId} of {@code entityType}, wherever in
   * the cluster it lives (started on its first message), as {@link #envelope(Object)}: written in
   * the node's write floor for this application, so an entity on a node still running an older
   * release reads it during a rollout. Fire and forget, like Akka's {@code EntityRef.tell}.
   *
   * @throws dev.molt.node.entity.UnknownEntityTypeException no release this node ran declares the type
   * @throws IllegalArgumentException {@code entityId} is empty
   */
  void tellEntity(String entityType, String entityId, Object message);

  /**
   * Replies with a record of this release, typed by its class (a {@code MessageType} of the same
   * name reads it in stable code); nothing happens when {@code to} is null (fire and forget).
   */
  default void reply(ActorRef<Envelope> to, Object payload) {
    if (to != null) {
      tell(to, payload);
    }
  }

  /**
   * Asks {@code target}: {@code request} builds the request (a record of this release) for a
   * temporary reply-to. The reply comes back to this actor as data and is decoded by the code
   * current <em>then</em>, so a reply that arrives after a swap meets the new version: it must be a
   * message type of this behaviour. When no reply comes within {@code timeout}, or the target
   * refuses the request, {@code onFailure} arrives instead, with its {@code reason} field (when it
   * has one) saying why. Nothing of this release is kept while the ask is pending: {@code
   * onFailure} is kept as data.
   */
  void ask(ActorRef<Envelope> target, Function<ActorRef<Envelope>, ?> request, Duration timeout, M onFailure);

  /**
   * Sends the result of {@code result} to this actor when it completes (Akka's {@code pipeToSelf}),
   * or {@code onFailure} (kept as data, its {@code reason} field filled) when it fails. A result
   * that completes after a swap is handed to the new code as data: encoded by its own release,
   * decoded by the current one.
   */
  void pipeToSelf(CompletionStage<? extends M> result, M onFailure);

  /**
   * Watches {@code other}; when it stops, {@code notice} arrives (Akka's {@code watchWith}). The
   * notice is kept as data, so it survives swaps and is decoded by the code current then.
   */
  void watch(ActorRef<?> other, M notice);

  void unwatch(ActorRef<?> other);

  /**
   * A message no handler took: refused to its sender when it names a reply-to, else to dead
   * letters, counted, and logged; the actor goes on. {@link Receive} calls it.
   */
  void unhandled(Object message);

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
