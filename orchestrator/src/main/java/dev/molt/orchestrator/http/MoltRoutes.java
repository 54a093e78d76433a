package dev.molt.orchestrator.http;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.BasicHttpCredentials;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.cluster.NodeName;
import dev.molt.node.json.MoltJson;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.ReleaseVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Molt's routes on the Akka Management port: releases, plans, rollouts and the cluster view, JSON in
 * and out. Every error is {@code {"error": ..., "detail": ...}} with a 4xx/5xx status, never a stack
 * trace. Mutating routes need HTTP basic credentials ({@link AdminAuth}).
 */
public final class MoltRoutes extends AllDirectives implements ManagementRouteProvider {
  private static final Logger log = LoggerFactory.getLogger(MoltRoutes.class);
  /** Requests the orchestrator answers after asking the nodes (each node is given 30 s). */
  private static final Duration ASK = Duration.ofSeconds(60);
  /**
   * Requests it answers from its own state. A request that reaches a singleton whose node just
   * died is lost; the client should hear 503 and retry soon, not wait a minute (measured: a status
   * poll right after kill -9 of the orchestrator's node hung 60 s).
   */
  private static final Duration QUICK = Duration.ofSeconds(10);
  /** Distribution streams a bundle to every node; below akka.http.server.request-timeout. */
  private static final Duration DISTRIBUTE = Duration.ofMinutes(4);
  private static final Set<String> ROLLOUT_FIELDS =
      Set.of("target", "batchSize", "canary", "pauseBetweenBatches", "mode", "autoRollback");
  private static final Set<String> ACTIONS = Set.of("pause", "resume", "promote", "abort", "rollback");

  private final ActorSystem<?> system;
  private final ActorRef<Command> orchestrator;
  private final ObjectMapper json;
  private final AdminAuth auth;
  private final long maxUploadBytes;

  public MoltRoutes(ExtendedActorSystem classic) {
    this.system = Adapter.toTyped(classic);
    this.orchestrator = dev.molt.orchestrator.rollout.OrchestratorSingleton.init(system);
    this.json = MoltJson.stable(akka.actor.typed.ActorRefResolver.get(system));
    this.auth = new AdminAuth(system.settings().config());
    this.maxUploadBytes = system.settings().config().getBytes("molt.http.max-upload-bytes");
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return pathPrefix("molt", () -> handleExceptions(errors(), () -> handleRejections(rejections(), () -> concat(
        path("releases", () -> concat(
            post(() -> admin(this::upload)),
            get(this::releases))),
        path("plan", () -> post(() -> admin(() -> jsonBody(this::plan)))),
        pathPrefix("rollouts", () -> concat(
            pathEnd(() -> concat(
                post(() -> admin(() -> new IdempotencyKey().optional(key -> jsonBody(body -> startRollout(body, key))))),
                get(() -> ask(OrchestratorProtocol.ListRollouts::new, StatusCodes.OK)))),
            path(PathMatchers.segment(), id -> get(() -> ask(r -> new OrchestratorProtocol.GetRollout(id, r), StatusCodes.OK))),
            path(PathMatchers.segment().slash(PathMatchers.segment()), (id, action) -> post(() -> admin(() ->
                ACTIONS.contains(action)
                    ? new IdempotencyKey().optional(key -> ask(r -> new OrchestratorProtocol.Control(id, action, key, r), StatusCodes.OK))
                    : error(StatusCodes.NOT_FOUND, "unknown action", "'" + action + "' is not one of " + ACTIONS)))))),
        path("cluster", () -> get(this::cluster)),
        path(PathMatchers.segment("actors").slash(PathMatchers.segment()).slash(PathMatchers.segment()),
            (supervisor, key) -> post(() -> admin(() -> parameterOptional("reply", reply ->
                jsonBody(body -> deliver(supervisor, key, body, reply.map("true"::equals).orElse(false)))))))))));
  }

  // ---- releases ----

  private Route upload() {
    return extractRequestEntity(entity -> {
      if (entity.getContentLengthOption().isPresent() && entity.getContentLengthOption().getAsLong() > maxUploadBytes) {
        return tooLarge();
      }
      return withSizeLimit(maxUploadBytes, () -> extractMaterializer(mat -> {
        // Streamed to a file, never held in memory: concurrent uploads cost disk, not heap.
        Path file;
        try {
          Path dir = Files.createDirectories(Path.of(system.settings().config().getString("molt.release-store.dir"), "uploads"));
          file = Files.createTempFile(dir, "upload-", ".molt");
        } catch (Exception e) {
          log.error("cannot create an upload file: {}", e.toString());
          return complete(response(StatusCodes.INTERNAL_SERVER_ERROR, problem("cannot store the upload", "see the node's log")));
        }
        return completeWithFuture(entity.withSizeLimit(maxUploadBytes).getDataBytes()
            .runWith(akka.stream.javadsl.FileIO.toPath(file), mat)
            .thenCompose(written -> stored(file, written.getCount()))
            .exceptionally(t -> {
              deleteQuietly(file);
              return uploadFailure(t);
            }));
      }));
    });
  }

  private CompletionStage<HttpResponse> stored(Path file, long size) {
    if (size == 0) {
      deleteQuietly(file);
      return CompletableFuture.completedFuture(response(StatusCodes.BAD_REQUEST, problem("invalid bundle", "the body is empty")));
    }
    return LocalNode.get(system).refs().thenCompose(refs -> AskPattern.<AgentCommand, AgentReply>ask(refs.agent(),
            r -> new AgentCommand.Unpack(file, r), ASK, system.scheduler()))
        .thenCompose(reply -> {
          deleteQuietly(file);
          if (reply instanceof AgentReply.Unpacked unpacked) {
            return AskPattern.<Command, Reply>ask(orchestrator,
                    r -> new OrchestratorProtocol.Distribute(unpacked.release(), NodeName.of(system), r), DISTRIBUTE,
                    system.scheduler())
                .thenApply(distributed -> uploaded(unpacked, distributed));
          }
          AgentReply.Failed failed = (AgentReply.Failed) reply;
          StatusCode status = "conflict".equals(failed.step()) ? StatusCodes.CONFLICT : StatusCodes.BAD_REQUEST;
          return CompletableFuture.completedFuture(response(status,
              problem("conflict".equals(failed.step()) ? "release exists with other content" : "invalid bundle", failed.reason())));
        });
  }

  private HttpResponse uploaded(AgentReply.Unpacked unpacked, Reply distributed) {
    ObjectNode body = json.createObjectNode()
        .put("name", unpacked.release().name())
        .put("version", unpacked.release().version())
        .put("sha256", unpacked.sha256());
    if (distributed instanceof OrchestratorProtocol.Distributed d) {
      body.set("storedOn", json.valueToTree(d.stored()));
      body.set("failedOn", json.valueToTree(d.failed()));
    } else if (distributed instanceof OrchestratorProtocol.Problem p) {
      body.put("distribution", p.detail());
    }
    log.info("release {} uploaded (sha256={}) and distributed: {}", unpacked.release(), unpacked.sha256(), body.path("storedOn"));
    return response(StatusCodes.CREATED, body);
  }

  private HttpResponse uploadFailure(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause.getClass().getName().endsWith("EntityStreamSizeException")) {
      return response(StatusCodes.PAYLOAD_TOO_LARGE, problem("bundle too large",
          "the limit is " + maxUploadBytes + " bytes (molt.http.max-upload-bytes)"));
    }
    log.warn("upload failed: {}", cause.toString());
    return response(StatusCodes.SERVICE_UNAVAILABLE, problem("upload failed", "the node could not store or distribute it; see its log"));
  }

  private Route tooLarge() {
    return complete(response(StatusCodes.PAYLOAD_TOO_LARGE, problem("bundle too large",
        "the limit is " + maxUploadBytes + " bytes (molt.http.max-upload-bytes)")));
  }

  private Route releases() {
    return completeWithFuture(cluster(view -> {
      Map<String, ObjectNode> releases = new TreeMap<>();
      for (NodeStatus node : view.nodes()) {
        node.releases().forEach(r -> {
          ObjectNode entry = releases.computeIfAbsent(r.release().toString(), k -> json.createObjectNode()
              .put("name", r.release().name()).put("version", r.release().version()).put("sha256", r.sha256()));
          entry.with("nodes").put(node.node(), r.status());
        });
      }
      ObjectNode body = json.createObjectNode();
      body.set("releases", json.valueToTree(List.copyOf(releases.values())));
      return response(StatusCodes.OK, body);
    }));
  }

  private Route cluster() {
    return completeWithFuture(cluster(view -> {
      ObjectNode body = json.createObjectNode();
      var members = body.putArray("members");
      for (NodeStatus node : view.nodes()) {
        members.addObject()
            .put("node", node.node())
            .put("current", node.running() == null ? null : node.running().toString())
            .put("permanent", node.permanent() == null ? null : node.permanent().toString())
            .put("installing", node.installing())
            .put("actors", node.actors())
            .put("ready", node.ready());
      }
      body.set("unreachable", json.valueToTree(view.unreachable()));
      return response(StatusCodes.OK, body);
    }));
  }

  private CompletionStage<HttpResponse> cluster(Function<OrchestratorProtocol.ClusterView, HttpResponse> render) {
    return AskPattern.<Command, Reply>ask(orchestrator, OrchestratorProtocol.GetCluster::new, ASK, system.scheduler())
        .thenApply(reply -> reply instanceof OrchestratorProtocol.ClusterView view ? render.apply(view) : toResponse(reply, StatusCodes.OK))
        .exceptionally(this::unavailable);
  }

  // ---- application messages ----

  /**
   * Hands an envelope to the dynamic child {@code key} of {@code supervisor} on this node (started
   * on demand). With {@code ?reply=true} the payload gets a {@code replyTo} and the reply envelope
   * comes back as the response.
   */
  private Route deliver(String supervisor, String key, JsonNode body, boolean reply) {
    if (!body.hasNonNull("type") || !body.get("type").isTextual()) {
      return error(StatusCodes.BAD_REQUEST, "bad request", "field 'type' (the message type) is required");
    }
    String type = body.get("type").asText();
    int schemaVersion = body.path("schemaVersion").asInt(1);
    if (schemaVersion < 1) {
      return error(StatusCodes.BAD_REQUEST, "bad request", "field 'schemaVersion' must be >= 1");
    }
    ObjectNode payload = body.path("payload").isObject() ? ((ObjectNode) body.get("payload")).deepCopy() : json.createObjectNode();
    var resolver = akka.actor.typed.ActorRefResolver.get(system);
    if (!reply) {
      return completeWithFuture(LocalNode.get(system).refs().thenApply(refs -> {
        refs.agent().tell(new AgentCommand.Deliver(supervisor, key, new dev.molt.protocol.envelope.Envelope(type, schemaVersion, payload)));
        return response(StatusCodes.ACCEPTED, json.createObjectNode().put("delivered", true));
      }));
    }
    return completeWithFuture(LocalNode.get(system).refs()
        .thenCompose(refs -> AskPattern.<AgentCommand, dev.molt.protocol.envelope.Envelope>ask(refs.agent(), replyTo -> {
          ObjectNode withReply = payload.deepCopy();
          withReply.put("replyTo", resolver.toSerializationFormat(replyTo));
          return new AgentCommand.Deliver(supervisor, key, new dev.molt.protocol.envelope.Envelope(type, schemaVersion, withReply));
        }, Duration.ofSeconds(10), system.scheduler()))
        .thenApply(envelope -> response(Envelope.REJECTED.equals(envelope.type()) ? StatusCodes.CONFLICT : StatusCodes.OK,
            json.valueToTree(envelope)))
        .exceptionally(t -> response(StatusCodes.GATEWAY_TIMEOUT, problem("no reply",
            "the actor '" + supervisor + "/" + key + "' did not reply within 10 s"))));
  }

  // ---- plans and rollouts ----

  private Route plan(JsonNode body) {
    if (!body.hasNonNull("target")) {
      return error(StatusCodes.BAD_REQUEST, "bad request", "field 'target' is required, e.g. {\"target\": \"2.0.0\"}");
    }
    return completeWithFuture(target(body.get("target").asText()).thenCompose(target -> target == null
        ? CompletableFuture.completedFuture(response(StatusCodes.BAD_REQUEST,
            problem("unknown target", "no node holds a release '" + body.get("target").asText() + "'")))
        : AskPattern.<Command, Reply>ask(orchestrator, r -> new OrchestratorProtocol.PlanFor(target, r), ASK, system.scheduler())
            .thenApply(reply -> toResponse(reply, StatusCodes.OK))).exceptionally(this::unavailable));
  }

  private Route startRollout(JsonNode body, String requestId) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!ROLLOUT_FIELDS.contains(field)) {
        return error(StatusCodes.BAD_REQUEST, "bad field", "unknown field '" + field + "'; fields: " + ROLLOUT_FIELDS);
      }
    }
    if (!body.hasNonNull("target") || !body.get("target").isTextual()) {
      return error(StatusCodes.BAD_REQUEST, "bad field", "field 'target' (a release version, e.g. \"2.0.0\") is required");
    }
    long pause;
    try {
      pause = millis(body.get("pauseBetweenBatches"));
    } catch (IllegalArgumentException e) {
      return error(StatusCodes.BAD_REQUEST, "bad field", e.getMessage());
    }
    for (String bool : List.of("canary", "autoRollback")) {
      if (body.has(bool) && !body.get(bool).isBoolean()) {
        return error(StatusCodes.BAD_REQUEST, "bad field", "field '" + bool + "' must be true or false");
      }
    }
    String batchSize = body.has("batchSize") ? body.get("batchSize").asText() : "1";
    String mode = body.has("mode") ? body.get("mode").asText() : "barrier";
    boolean canary = body.path("canary").asBoolean(false);
    boolean autoRollback = body.path("autoRollback").asBoolean(true);
    String requested = body.get("target").asText();
    return completeWithFuture(target(requested).thenCompose(target -> {
      if (target == null) {
        return CompletableFuture.completedFuture(response(StatusCodes.BAD_REQUEST,
            problem("unknown target", "no node holds a release '" + requested + "'; upload it first (POST /molt/releases)")));
      }
      RolloutSpec spec = new RolloutSpec(target, batchSize, canary, pause, mode, autoRollback);
      return AskPattern.<Command, Reply>ask(orchestrator, r -> new OrchestratorProtocol.StartRollout(spec, requestId, r), ASK,
          system.scheduler()).thenApply(reply -> toResponse(reply, StatusCodes.ACCEPTED));
    }).exceptionally(this::unavailable));
  }

  /** A target given as a version ("2.0.0") or a release id ("game-2.0.0"), resolved against what the nodes hold. */
  private CompletionStage<ReleaseId> target(String text) {
    return AskPattern.<Command, Reply>ask(orchestrator, OrchestratorProtocol.GetCluster::new, ASK, system.scheduler())
        .thenApply(reply -> {
          if (!(reply instanceof OrchestratorProtocol.ClusterView view)) {
            return null;
          }
          return view.nodes().stream().flatMap(n -> n.releases().stream()).map(r -> r.release())
              .filter(r -> r.toString().equals(text) || r.version().equals(text))
              .findFirst().orElse(null);
        });
  }

  private static long millis(JsonNode value) {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    String text = value.asText().trim();
    try {
      if (text.endsWith("ms")) {
        return Long.parseLong(text.substring(0, text.length() - 2).trim());
      }
      if (text.endsWith("s")) {
        return Long.parseLong(text.substring(0, text.length() - 1).trim()) * 1000;
      }
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field 'pauseBetweenBatches' must be milliseconds or a duration like \"2s\", was '"
          + text + "'");
    }
  }

  /** A request the orchestrator answers from its own state (rollouts, their controls). */
  private Route ask(Function<ActorRef<Reply>, Command> command, StatusCode success) {
    return completeWithFuture(AskPattern.<Command, Reply>ask(orchestrator, command::apply, QUICK, system.scheduler())
        .thenApply(reply -> toResponse(reply, success))
        .exceptionally(this::unavailable));
  }

  private HttpResponse toResponse(Reply reply, StatusCode success) {
    if (reply instanceof OrchestratorProtocol.Problem p) {
      return response(StatusCodes.get(p.status()), problem(p.error(), p.detail()));
    }
    if (reply instanceof OrchestratorProtocol.Accepted a) {
      return response(success, json.createObjectNode().put("id", a.id()));
    }
    if (reply instanceof OrchestratorProtocol.RolloutView v) {
      return response(success, json.valueToTree(v.rollout()));
    }
    if (reply instanceof OrchestratorProtocol.Rollouts r) {
      ObjectNode body = json.createObjectNode();
      body.set("rollouts", json.valueToTree(r.rollouts()));
      return response(success, body);
    }
    return response(success, json.valueToTree(reply));
  }

  private HttpResponse unavailable(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    log.warn("orchestrator did not answer: {}", cause.toString());
    return response(StatusCodes.SERVICE_UNAVAILABLE, problem("orchestrator unavailable",
        "the orchestrator did not answer in time (it may be moving to another node); try again"));
  }

  // ---- plumbing ----

  private Route jsonBody(Function<JsonNode, Route> inner) {
    return entity(akka.http.javadsl.unmarshalling.Unmarshaller.entityToString(), text -> {
      JsonNode body;
      try {
        body = json.readTree(text);
      } catch (Exception e) {
        return error(StatusCodes.BAD_REQUEST, "bad request", "the body is not JSON: " + firstLine(e.getMessage()));
      }
      if (body == null || !body.isObject()) {
        return error(StatusCodes.BAD_REQUEST, "bad request", "the body must be a JSON object");
      }
      return inner.apply(body);
    });
  }

  private Route admin(Supplier<Route> inner) {
    if (!auth.enabled()) {
      return inner.get();
    }
    return extractCredentials(credentials -> {
      if (credentials.isPresent() && credentials.get() instanceof BasicHttpCredentials basic
          && auth.accepts(basic.username(), basic.password())) {
        return inner.get();
      }
      return complete(HttpResponse.create()
          .withStatus(StatusCodes.UNAUTHORIZED)
          .addHeader(WWWAuthenticate.create(HttpChallenge.createBasic("molt")))
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, problem("unauthorized",
              credentials.isPresent() ? "wrong user or password" : "this route needs HTTP basic credentials").toString())));
    });
  }

  private ExceptionHandler errors() {
    return ExceptionHandler.newBuilder().matchAny(e -> {
      log.error("molt route failed: {}", e.toString());
      return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error", "see the node's log");
    }).build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
      if (response.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict
          && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        String text = strict.getData().utf8String();
        return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            problem(response.status().reason().toLowerCase(), text).toString()));
      }
      return response;
    });
  }

  private Route error(StatusCode status, String error, String detail) {
    return complete(response(status, problem(error, detail)));
  }

  private ObjectNode problem(String error, String detail) {
    return json.createObjectNode().put("error", error).put("detail", detail);
  }

  private HttpResponse response(StatusCode status, JsonNode body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json.writeValueAsBytes(body)));
    } catch (Exception e) {
      return HttpResponse.create().withStatus(StatusCodes.INTERNAL_SERVER_ERROR);
    }
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse("");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (Exception ignored) {
      // An upload left behind is removed with the uploads folder; it holds no state.
    }
  }
}
