package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.NodeCounters;
import dev.molt.node.release.ReleaseClassLoader;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Turns a message for a host into an object its current release understands: objects of that
 * release as they are, {@link Envelope}s decoded by it, objects of another release (sent, stashed
 * or scheduled before a swap) through their own release's envelope first. What cannot be
 * understood is refused explicitly and counted, never handed to code that cannot read it.
 */
final class MessageTranslator {
  /** Returned by {@link #translate} for a message that was refused. */
  static final Object NOT_UNDERSTOOD = new Object();

  private final String actor;
  private final Envelopes envelopes;
  private final NodeCounters counters;
  private final ActorRef<Object> deadLetters;
  private final Logger log;
  private long rejected;

  MessageTranslator(String actor, Envelopes envelopes, NodeCounters counters, ActorRef<Object> deadLetters, Logger log) {
    this.actor = actor;
    this.envelopes = envelopes;
    this.counters = counters;
    this.deadLetters = deadLetters;
    this.log = log;
  }

  /** Messages refused by this host so far. */
  long rejected() {
    return rejected;
  }

  /** The message as {@code current}'s object, or {@link #NOT_UNDERSTOOD} after refusing it. */
  Object translate(Object message, LoadedBehaviour current) {
    ClassLoader origin = message.getClass().getClassLoader();
    if (origin == current.loader()) {
      return message;
    }
    if (message instanceof Envelope envelope) {
      return decode(message, envelope, current);
    }
    if (origin instanceof ReleaseClassLoader other && other.loaded() != null) {
      Envelope asData;
      try {
        // In the shape the current code reads: an older version's after a downgrade.
        asData = other.loaded().encodeMessage(message, current.messageSchemaVersion());
      } catch (RuntimeException e) {
        reject(message, "cannot turn a message of " + other.release() + " into data: " + Causes.describe(e), true);
        return NOT_UNDERSTOOD;
      }
      return decode(message, asData, current);
    }
    if (current.accepts(message)) {
      return message;
    }
    reject(message, "a " + message.getClass().getName() + " is not understood by " + current, true);
    return NOT_UNDERSTOOD;
  }

  private Object decode(Object original, Envelope envelope, LoadedBehaviour current) {
    Optional<String> refused = envelopes.refusal(envelope);
    if (refused.isPresent()) {
      reject(original, refused.get(), true);
      return NOT_UNDERSTOOD;
    }
    try {
      return current.decodeMessage(envelope);
    } catch (LoadedBehaviour.UnknownMessageType e) {
      reject(original, e.getMessage(), true);
    } catch (RuntimeException e) {
      reject(original, "cannot decode '" + envelope.type() + "' (schema " + envelope.schemaVersion() + ") for "
          + current + ": " + Causes.describe(e), true);
    }
    return NOT_UNDERSTOOD;
  }

  /** A message the current code has no handler for: refused as any message it cannot read. */
  void unhandled(Object message, LoadedBehaviour current) {
    counters.unhandled();
    reject(message, "no handler for a " + message.getClass().getSimpleName() + " in " + current, true);
  }

  /** The rejection an envelope of type {@link Envelope#REJECTED} carries. */
  Rejection rejection(Envelope rejected) {
    return envelopes.read(rejected, Rejection.class);
  }

  /**
   * Refuses a message explicitly: a rejection envelope to its {@code replyTo} when it names one,
   * else dead letters. Counted either way.
   */
  void reject(Object message, String reason, boolean logIt) {
    rejected++;
    counters.rejected();
    Envelope asData = message instanceof Envelope e ? e : asEnvelope(message);
    String type = asData != null ? asData.type() : message.getClass().getName();
    Optional<ActorRef<Envelope>> replyTo = asData == null ? Optional.empty() : envelopes.replyTo(asData);
    if (replyTo.isPresent()) {
      replyTo.get().tell(envelopes.of(Envelope.REJECTED, 1, new Rejection(type, reason)));
    } else {
      deadLetters.tell(message);
    }
    if (logIt) {
      log.warn("{} rejected a '{}' message ({}): {}", actor, type, replyTo.isPresent() ? "sender told" : "to dead letters", reason);
    }
  }

  private static Envelope asEnvelope(Object message) {
    if (message.getClass().getClassLoader() instanceof ReleaseClassLoader origin && origin.loaded() != null) {
      try {
        return origin.loaded().encodeMessage(message);
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }
}
