package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.envelope.Envelopes;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code POST /molt/actors/{supervisor}/{key}[?reply=true]}: hands an envelope to the dynamic child
 * {@code key} of {@code supervisor} on this node (started on demand). Refused before it reaches an
 * actor: unknown fields, a schema version no loaded release writes (409 with the versions known),
 * and a caller-chosen {@code replyTo} (it would make the node send to any actor path the caller
 * names; with {@code ?reply=true} the route sets its own temporary one and returns the reply).
 */
final class ActorRoutes extends AllDirectives {
  private static final Duration REPLY = Duration.ofSeconds(10);
  private static final List<String> FIELDS = List.of("type", "schemaVersion", "payload");

  private final ActorSystem<?> system;
  private final ObjectMapper json;
  private final Problems problems;
  private final JsonBodies bodies;
  private final Function<Supplier<Route>, Route> admin;
  private final Refusals refusals;

  ActorRoutes(ActorSystem<?> system, ObjectMapper json, Problems problems, JsonBodies bodies, Function<Supplier<Route>, Route> admin,
      Refusals refusals) {
    this.refusals = refusals;
    this.system = system;
    this.json = json;
    this.problems = problems;
    this.bodies = bodies;
    this.admin = admin;
  }

  Route routes() {
    return path(PathMatchers.segment("actors").slash(PathMatchers.segment()).slash(PathMatchers.segment()),
        (supervisor, key) -> post(() -> admin.apply(() -> parameterOptional("reply", reply ->
            bodies.object(body -> deliver(supervisor, key, body, reply.map("true"::equals).orElse(false)))))));
  }

  private Route deliver(String supervisor, String key, ObjectNode body, boolean reply) {
    Envelope envelope;
    try {
      envelope = envelope(supervisor, key, body);
    } catch (BadInput bad) {
      refusals.count("envelope fields", "POST /molt/actors/" + supervisor + "/" + key, bad.detail());
      return complete(problems.of(bad));
    }
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
    if (!reply) {
      return completeWithFuture(LocalNode.get(system).refs().thenApply(refs -> {
        refs.agent().tell(new AgentCommand.Deliver(supervisor, key, envelope));
        return problems.response(StatusCodes.ACCEPTED, json.createObjectNode().put("delivered", true));
      }));
    }
    ObjectNode payload = (ObjectNode) envelope.payload();
    ActorRefResolver resolver = ActorRefResolver.get(system);
    return completeWithFuture(LocalNode.get(system).refs()
        .thenCompose(refs -> AskPattern.<AgentCommand, Envelope>ask(refs.agent(), replyTo -> {
          ObjectNode withReply = payload.deepCopy();
          withReply.put(Envelopes.REPLY_TO_FIELD, resolver.toSerializationFormat(replyTo));
          return new AgentCommand.Deliver(supervisor, key, new Envelope(envelope.type(), envelope.schemaVersion(), withReply));
        }, REPLY, system.scheduler()))
        .thenApply(answer -> problems.response(Envelope.REJECTED.equals(answer.type()) ? StatusCodes.CONFLICT : StatusCodes.OK,
            json.valueToTree(answer)))
        .exceptionally(t -> problems.of(StatusCodes.GATEWAY_TIMEOUT, "no reply",
            "the actor '" + supervisor + "/" + key + "' did not reply within " + REPLY.toSeconds() + " s")));
  }

  /** The body as an envelope, each field checked; the payload is a bounded object without a replyTo. */
  private static Envelope envelope(String supervisor, String key, ObjectNode body) throws BadInput {
    if (supervisor.length() > Fields.MAX_NAME_CHARS || key.length() > Fields.MAX_NAME_CHARS) {
      throw BadInput.field("supervisor and key must be at most " + Fields.MAX_NAME_CHARS + " characters");
    }
    Fields.onlyKnown(body, FIELDS);
    String type = Fields.text(body, "type", true, "the message type, e.g. \"get\"");
    JsonNode version = body.get("schemaVersion");
    int schemaVersion = 1;
    if (version != null && !version.isNull()) {
      if (!version.canConvertToInt() || !version.isIntegralNumber() || version.intValue() < 1) {
        throw BadInput.field("field 'schemaVersion' must be an integer >= 1, was " + Fields.abbreviate(version.toString()));
      }
      schemaVersion = version.intValue();
    }
    JsonNode payload = body.get("payload");
    if (payload != null && !payload.isNull() && !payload.isObject()) {
      throw BadInput.field("field 'payload' must be a JSON object, was " + payload.getNodeType().name().toLowerCase());
    }
    ObjectNode fields = payload == null || payload.isNull() ? body.objectNode() : (ObjectNode) payload;
    if (fields.has(Envelopes.REPLY_TO_FIELD)) {
      throw BadInput.field("field 'payload." + Envelopes.REPLY_TO_FIELD + "' is set by the route, not the caller: "
          + "use ?reply=true to get the reply in the response");
    }
    return new Envelope(type, schemaVersion, fields);
  }
}
