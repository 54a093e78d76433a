package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.entity.ActorTarget;
import dev.molt.node.entity.ActorTargets;
import dev.molt.node.entity.UnknownActorException;
import dev.molt.node.envelope.Envelopes;
import dev.molt.node.host.HostCommand;
import dev.molt.orchestrator.auth.Operation;
import dev.molt.node.host.HostReply;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code POST /molt/actors/{supervisorOrEntityType}/{key}[?reply=true]}: hands an envelope to the
 * entity {@code key} of an entity type (through sharding, wherever it lives), or to the child
 * {@code key} of a supervisor on this node (a dynamic one started on demand). Refused before it
 * reaches an actor: an address that names nothing (404 at once, saying what exists), unknown
 * fields, a schema version no loaded release writes (409 with the versions known), and a
 * caller-chosen {@code replyTo} (it would make the node send to any actor path the caller names;
 * with {@code ?reply=true} the route sets its own temporary one and returns the reply).
 *
 * <p>{@code GET /molt/actors/{supervisorOrEntityType}/{key}/state}: OTP's {@code sys:get_state}
 * of that actor (release, behaviour version, state JSON, carried fields); 404 when it does not run
 * (an entity is not started to be read).
 */
final class ActorRoutes extends AllDirectives {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ActorRoutes.class);

  private final ActorSystem<?> system;
  private final ObjectMapper json;
  private final Problems problems;
  private final JsonBodies bodies;
  private final Unmarshaller<HttpEntity, EnvelopeBody> envelopeBody;
  private final Access access;
  private final Refusals refusals;
  /** molt.http.actor-ask-timeout */
  private final Duration replyTimeout;

  ActorRoutes(ActorSystem<?> system, ObjectMapper json, Problems problems, JsonBodies bodies, Access access,
      Refusals refusals) {
    this.refusals = refusals;
    this.replyTimeout = system.settings().config().getDuration("molt.http.actor-ask-timeout");
    this.system = system;
    this.json = json;
    this.problems = problems;
    this.bodies = bodies;
    this.envelopeBody = bodies.unmarshaller(EnvelopeBody.TYPE);
    this.access = access;
  }

  Route routes() {
    return concat(
        path(PathMatchers.segment("actors").slash(PathMatchers.segment()).slash(PathMatchers.segment()),
            (name, key) -> post(() -> access.as(Operation.SEND, Fields.abbreviate(name) + "/" + Fields.abbreviate(key),
                granted -> parameterOptional("reply", reply -> deliver(name, key, reply))))),
        path(PathMatchers.segment("actors").slash(PathMatchers.segment()).slash(PathMatchers.segment())
                .slash("state"),
            (name, key) -> get(() -> access.as(Operation.READ_STATE, Fields.abbreviate(name) + "/" + Fields.abbreviate(key),
                granted -> state(name, key)))));
  }

  private Route state(String name, String key) {
    if (name.length() > Fields.MAX_NAME_CHARS || key.length() > Fields.MAX_NAME_CHARS) {
      return complete(problems.of(BadInput.field("supervisor, entity type and key must be at most "
          + Fields.MAX_NAME_CHARS + " characters")));
    }
    return completeWithFuture(ActorTargets.resolve(system, name, key)
        .thenCompose(target -> target instanceof ActorTarget.OnDemand
            ? CompletableFuture.completedFuture(notRunning(target))
            : AskPattern.<Object, HostReply>ask(recipient(target), HostCommand.GetState::new, replyTimeout, system.scheduler())
                .thenApply(reply -> stateResponse(target, reply)))
        .exceptionally(t -> failure(name + "/" + key, t)));
  }

  private HttpResponse stateResponse(ActorTarget target, HostReply reply) {
    if (reply instanceof HostReply.State s) {
      ObjectNode body = json.createObjectNode().put("actor", target.path()).put("release", s.release().toString())
          .put("behaviourVersion", s.version());
      body.set("state", s.state());
      body.set("carried", s.carried());
      return problems.response(StatusCodes.OK, body);
    }
    if (reply instanceof HostReply.Failed f && f.reason() == HostReply.Reason.NOT_RUNNING) {
      return notRunning(target);
    }
    return problems.of(StatusCodes.CONFLICT, "state not read", reply instanceof HostReply.Failed f ? f.cause()
        : "unexpected reply " + reply.getClass().getSimpleName());
  }

  private HttpResponse notRunning(ActorTarget target) {
    return problems.of(StatusCodes.NOT_FOUND, "not running", "'" + target.path()
        + "' is not running; it starts on its first message");
  }

  /** 404 for an address that names nothing, 504 for an actor that did not answer. */
  private HttpResponse failure(String address, Throwable t) {
    Throwable cause = Problems.cause(t);
    if (cause instanceof UnknownActorException unknown) {
      refusals.count("actor addresses", "/molt/actors/" + address, unknown.getMessage());
      return problems.of(StatusCodes.NOT_FOUND, "unknown actor", unknown.getMessage());
    }
    if (!(cause instanceof java.util.concurrent.TimeoutException)) {
      log.warn("/molt/actors/{}: {}", address, cause.toString());
    }
    return problems.of(StatusCodes.GATEWAY_TIMEOUT, "no reply",
        "the actor '" + address + "' did not reply within " + replyTimeout.toSeconds() + " s (molt.http.actor-ask-timeout)");
  }

  /** Where messages for a target that runs (or starts on demand through sharding) go. */
  private RecipientRef<Object> recipient(ActorTarget target) {
    if (target instanceof ActorTarget.Entity e) {
      return e.ref();
    }
    return ((ActorTarget.Child) target).ref();
  }

  private CompletionStage<Void> tell(ActorTarget target, Envelope envelope) {
    if (target instanceof ActorTarget.OnDemand d) {
      return LocalNode.get(system).refs().thenAccept(refs -> refs.agent().tell(new AgentCommand.Deliver(d.supervisor(),
          d.key(), envelope)));
    }
    recipient(target).tell(envelope);
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Envelope> ask(ActorTarget target, Function<ActorRef<Envelope>, Envelope> message) {
    if (target instanceof ActorTarget.OnDemand d) {
      return LocalNode.get(system).refs().thenCompose(refs -> AskPattern.<AgentCommand, Envelope>ask(refs.agent(),
          replyTo -> new AgentCommand.Deliver(d.supervisor(), d.key(), message.apply(replyTo)), replyTimeout, system.scheduler()));
    }
    return AskPattern.<Object, Envelope>ask(recipient(target), message::apply, replyTimeout, system.scheduler());
  }

  /**
   * Refuses a name too long or a {@code reply} other than true or false before the body is read,
   * then reads it as an {@link EnvelopeBody}.
   */
  private Route deliver(String supervisor, String key, Optional<String> replyParameter) {
    if (replyParameter.isPresent() && !List.of("true", "false").contains(replyParameter.get())) {
      return refuse(supervisor, key, "parameter 'reply' must be true or false, was '"
          + Fields.abbreviate(replyParameter.get()) + "'");
    }
    boolean reply = replyParameter.map("true"::equals).orElse(false);
    if (supervisor.length() > Fields.MAX_NAME_CHARS || key.length() > Fields.MAX_NAME_CHARS) {
      return refuse(supervisor, key, "supervisor and key must be at most " + Fields.MAX_NAME_CHARS + " characters");
    }
    return bodies.body(envelopeBody, body -> deliver(supervisor, key, body.envelope(), reply));
  }

  /** A bad field of a delivery, answered 400 and counted. */
  private Route refuse(String supervisor, String key, String detail) {
    BadInput bad = BadInput.field(detail);
    refusals.count("envelope fields", "POST /molt/actors/" + Fields.abbreviate(supervisor) + "/" + Fields.abbreviate(key),
        bad.detail());
    return complete(problems.of(bad));
  }

  private Route deliver(String supervisor, String key, Envelope envelope, boolean reply) {
    Envelopes envelopes = Envelopes.get(system);
    Optional<String> unknown = envelopes.unknownSchema(envelope);
    if (unknown.isPresent()) {
      refusals.count("envelope schema versions", "POST /molt/actors/" + supervisor + "/" + key, unknown.get());
      return complete(problems.of(StatusCodes.CONFLICT, "unknown schema version", unknown.get()));
    }
    Optional<String> refused = envelopes.refusal(envelope);
    if (refused.isPresent()) {
      refusals.count("molt.envelope.max-payload-depth", "POST /molt/actors/" + supervisor + "/" + key, refused.get());
      return complete(problems.of(StatusCodes.BAD_REQUEST, "bad field", refused.get()));
    }
    CompletionStage<ActorTarget> target = ActorTargets.resolve(system, supervisor, key);
    if (!reply) {
      return completeWithFuture(target.thenCompose(t -> tell(t, envelope))
          .thenApply(done -> problems.response(StatusCodes.ACCEPTED, json.createObjectNode().put("delivered", true)))
          .exceptionally(t -> failure(supervisor + "/" + key, t)));
    }
    ObjectNode payload = (ObjectNode) envelope.payload();
    ActorRefResolver resolver = ActorRefResolver.get(system);
    return completeWithFuture(target
        .thenCompose(t -> ask(t, replyTo -> {
          ObjectNode withReply = payload.deepCopy();
          withReply.put(Envelopes.REPLY_TO_FIELD, resolver.toSerializationFormat(replyTo));
          return new Envelope(envelope.type(), envelope.schemaVersion(), withReply);
        }))
        .thenApply(answer -> problems.response(Envelope.REJECTED.equals(answer.type()) ? StatusCodes.CONFLICT : StatusCodes.OK,
            json.valueToTree(answer)))
        .exceptionally(t -> failure(supervisor + "/" + key, t)));
  }
}
