package dev.molt.node.envelope;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.json.JsonBounds;
import dev.molt.node.json.MoltJson;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How stable code (tests, HTTP routes, load clients, other nodes) talks to upgradable actors: it
 * builds envelopes from its own payload classes and reads replies into them. It never needs a
 * release's classes.
 *
 * <pre>{@code
 * Envelopes envelopes = Envelopes.get(system);
 * counter.tell(envelopes.of("increment", 1, new Increment(42)));
 * Counter view = envelopes.read(reply, "counter", Counter.class);
 * }</pre>
 */
public final class Envelopes implements Extension {

  /** Payload field that names where a reply (or a rejection) goes. */
  public static final String REPLY_TO_FIELD = "replyTo";

  public static final ExtensionId<Envelopes> ID =
      new ExtensionId<>() {
        @Override
        public Envelopes createExtension(ActorSystem<?> system) {
          return new Envelopes(system);
        }
      };

  private final ActorSystem<?> system;
  private final ObjectMapper mapper;
  private final ActorRefResolver resolver;
  private final int maxPayloadDepth;

  private Envelopes(ActorSystem<?> system) {
    this.system = system;
    this.resolver = ActorRefResolver.get(system);
    this.mapper = MoltJson.stable(resolver);
    this.maxPayloadDepth = system.settings().config().getInt("molt.envelope.max-payload-depth");
  }

  public static Envelopes get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public Envelope of(String type, int schemaVersion, Object payload) {
    return new Envelope(type, schemaVersion, mapper.valueToTree(payload));
  }

  /** Builds an envelope of a declared message type. */
  public <T> Envelope of(MessageType<T> type, T payload) {
    return of(type.name(), type.schemaVersion(), payload);
  }

  public <T> T read(Envelope envelope, Class<T> payloadType) {
    try {
      return mapper.treeToValue(envelope.payload(), payloadType);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot read envelope '" + envelope.type() + "' (schema " + envelope.schemaVersion() + ") as "
              + payloadType.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads an envelope that must be of {@code expectedType}; a rejection or any other type fails
   * with a message saying what arrived instead.
   */
  public <T> T read(Envelope envelope, String expectedType, Class<T> payloadType) {
    if (Envelope.REJECTED.equals(envelope.type()) && !Envelope.REJECTED.equals(expectedType)) {
      Rejection r = read(envelope, Rejection.class);
      throw new IllegalArgumentException(
          "expected '" + expectedType + "' but the message '" + r.type() + "' was rejected: " + r.reason());
    }
    if (!envelope.type().equals(expectedType)) {
      throw new IllegalArgumentException("expected envelope '" + expectedType + "' but got '" + envelope.type() + "'");
    }
    return read(envelope, payloadType);
  }

  public <T> T read(Envelope envelope, MessageType<T> type) {
    return read(envelope, type.name(), type.payloadType());
  }

  /**
   * Asks {@code target} and reads the reply as {@code reply}: the typed answer, or a failed stage
   * saying what arrived instead (a rejection with its reason, another type) or that none came
   * within {@code timeout}.
   */
  public <T> CompletionStage<T> ask(ActorRef<? super Envelope> target, MessageType<T> reply,
      Function<ActorRef<Envelope>, Envelope> request, Duration timeout) {
    return AskPattern.<Envelope, Envelope>ask(target.narrow(), request::apply, timeout, system.scheduler())
        .thenApply(answer -> read(answer, reply));
  }

  /**
   * Why this node must not decode {@code envelope}, empty when it may: a schema version newer than
   * any loaded release writes (it would be read as an older shape, silently wrong), or a payload
   * nested deeper than {@code molt.envelope.max-payload-depth} (release code and Jackson's tree
   * operations recurse; a stack overflow would end the JVM). Checked wherever an envelope enters:
   * the host before decoding, the actor route before delivering.
   */
  public Optional<String> refusal(Envelope envelope) {
    Optional<String> unknown = unknownSchema(envelope);
    if (unknown.isPresent()) {
      return unknown;
    }
    if (JsonBounds.deeperThan(envelope.payload(), maxPayloadDepth)) {
      return Optional.of("the payload of '" + envelope.type() + "' is nested deeper than " + maxPayloadDepth
          + " levels (molt.envelope.max-payload-depth)");
    }
    return Optional.empty();
  }

  /** Why the envelope's schema version is unknown here (newer than any loaded release writes), empty when known. */
  public Optional<String> unknownSchema(Envelope envelope) {
    int newest = ReleaseRegistry.get(system).newestMessageSchema();
    if (envelope.schemaVersion() > newest) {
      return Optional.of("schemaVersion " + envelope.schemaVersion() + " of '" + envelope.type()
          + "' is unknown on this node: the schema versions known are " + known(newest));
    }
    return Optional.empty();
  }

  /** The schema versions this node's loaded releases can read, e.g. {@code "1..3"}. */
  public String knownSchemaVersions() {
    return known(ReleaseRegistry.get(system).newestMessageSchema());
  }

  private static String known(int newest) {
    return newest == 1 ? "1" : "1.." + newest;
  }

  /** Where the sender of this envelope wants replies, from its payload's {@value #REPLY_TO_FIELD}. */
  public Optional<ActorRef<Envelope>> replyTo(Envelope envelope) {
    JsonNode field = envelope.payload().get(REPLY_TO_FIELD);
    if (field == null || !field.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(resolver.resolveActorRef(field.asText()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  public ObjectMapper mapper() {
    return mapper;
  }
}
