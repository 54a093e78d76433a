package dev.molt.node.host;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.envelope.SchemaFloors;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.envelope.Rejection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The context a host hands to release code; it always speaks for the host's current release.
 *
 * <p>Whatever outlives the call (a pending ask or pipeToSelf, a watch) keeps only stable objects:
 * the messages to deliver later are encoded to envelopes at once, and replies arrive as envelopes
 * or as objects their own release turns into data. So no pending operation pins a release's class
 * loader past a swap, and what arrives after one is decoded by the code current then.
 */
final class HostContext implements BehaviourContext<Object> {
  /** The payload field a failure message's reason is written to, when the message has one. */
  static final String REASON_FIELD = "reason";

  private final ActorContext<Object> context;
  private final Logger log;
  private final Supplier<LoadedBehaviour> current;
  private final Peers peers;
  private final TimerScheduler<Object> timers;
  private final MessageTranslator translator;
  private final SchemaFloors floors;
  private boolean stopRequested;

  HostContext(ActorContext<Object> context, Supplier<LoadedBehaviour> current, Peers peers,
      TimerScheduler<Object> timers, MessageTranslator translator) {
    this.context = context;
    this.log = context.getLog();
    this.current = current;
    this.peers = peers;
    this.timers = timers;
    this.translator = translator;
    this.floors = SchemaFloors.get(context.getSystem());
  }

  @Override
  public ActorRef<Object> self() {
    return context.getSelf();
  }

  @Override
  public ActorRef<Envelope> selfForEnvelopes() {
    return context.getSelf().narrow();
  }

  @Override
  public Logger log() {
    return log;
  }

  @Override
  public int version() {
    return current.get().version();
  }

  @Override
  public ReleaseJson json() {
    return current.get().json();
  }

  @Override
  public Optional<ActorRef<Envelope>> peer(String supervisor, String child) {
    return peers.find(supervisor, child).map(ActorRef::narrow);
  }

  @Override
  public Envelope envelope(String type, Object payload) {
    LoadedBehaviour behaviour = current.get();
    return behaviour.encodeMessage(type, payload, floors.writeSchema(behaviour.application(), behaviour.name()));
  }

  @Override
  public Envelope envelope(Object payload) {
    return envelope(current.get().messageName(payload), payload);
  }

  @Override
  public void tellEntity(String entityType, String entityId, Object message) {
    EntityMessenger.of(context.getSystem()).tell(entityType, entityId, envelope(message));
  }

  /** An envelope this actor sends itself later: in its own schema, as no other version reads it. */
  private Envelope toSelf(Object message) {
    LoadedBehaviour behaviour = current.get();
    return behaviour.encodeMessage(behaviour.messageName(message), message, Integer.MAX_VALUE);
  }

  @Override
  public void ask(ActorRef<Envelope> target, Function<ActorRef<Envelope>, ?> request, Duration timeout,
      Object onFailure) {
    Envelope failure = toSelf(onFailure);
    String what = "asking " + target.path();
    context.ask(Envelope.class, target, timeout, replyTo -> envelope(request.apply(replyTo)),
        (reply, error) -> {
          if (reply == null) {
            return failed(failure, what + " failed: " + Causes.describe(error));
          }
          if (Envelope.REJECTED.equals(reply.type())) {
            Rejection refused = translator.rejection(reply);
            return failed(failure, what + ": '" + refused.type() + "' was rejected: " + refused.reason());
          }
          return reply;
        });
  }

  @Override
  public void pipeToSelf(CompletionStage<?> result, Object onFailure) {
    Envelope failure = toSelf(onFailure);
    context.pipeToSelf(result, (value, error) -> value != null ? value
        : failed(failure, "the piped result failed: " + (error == null ? "it completed with null" : Causes.describe(error))));
  }

  @Override
  public void watch(ActorRef<?> other, Object notice) {
    context.watchWith(other, toSelf(notice));
  }

  @Override
  public void unwatch(ActorRef<?> other) {
    context.unwatch(other);
  }

  @Override
  public void unhandled(Object message) {
    translator.unhandled(message, current.get());
  }

  /** The failure message, with the reason in its {@value #REASON_FIELD} field when it is a record. */
  private static Envelope failed(Envelope failure, String reason) {
    if (!(failure.payload() instanceof ObjectNode fields)) {
      return failure;
    }
    ObjectNode withReason = fields.deepCopy();
    withReason.put(REASON_FIELD, reason);
    return new Envelope(failure.type(), failure.schemaVersion(), withReason);
  }

  @Override
  public void startSingleTimer(Object key, Object message, Duration delay) {
    timers.startSingleTimer(key, message, delay);
  }

  @Override
  public void startTimerWithFixedDelay(Object key, Object message, Duration delay) {
    timers.startTimerWithFixedDelay(key, message, delay);
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  /** Whether the code asked to stop during the call that just returned; clears the request. */
  boolean takeStopRequest() {
    boolean requested = stopRequested;
    stopRequested = false;
    return requested;
  }

  @Override
  public void cancelTimer(Object key) {
    timers.cancel(key);
  }
}
