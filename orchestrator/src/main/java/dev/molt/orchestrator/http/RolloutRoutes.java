package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRef;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.auth.Operation;
import dev.molt.orchestrator.rollout.ControlAction;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.RolloutOptions;
import dev.molt.orchestrator.rollout.TargetRequest;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The rollouts resource: {@code /molt/plan} and {@code /molt/rollouts[/{id}[/{action}]]}. A body is
 * read by its Akka HTTP unmarshaller ({@link JsonBodies}) into its record ({@link PlanBody}, {@link
 * RolloutBody}), Jackson databind with every field checked against its type and bound first (a
 * value the singleton cannot act on, such as a pause its timer refuses, once stopped it for good),
 * the mode parsed into {@code InstallMode} there, once; and the singleton's replies are rendered
 * here. The target stays as the client named it: only the orchestrator resolves it, against the
 * statuses it gathers to plan.
 */
final class RolloutRoutes extends AllDirectives {
  /** The orchestrator's errors for a target it could not resolve ({@link dev.molt.orchestrator.rollout.RolloutStart#resolve}). */
  private static final Set<String> TARGET_ERRORS = Set.of("unknown target", "ambiguous target", "bad field");

  private final MoltRoutes.Singleton orchestrator;
  private final ObjectMapper json;
  private final JsonBodies bodies;
  private final Problems problems;
  private final Unmarshaller<HttpEntity, PlanBody> planBody;
  private final Unmarshaller<HttpEntity, RolloutBody> rolloutBody;
  private final Access access;
  private final Refusals refusals;
  private final IdempotencyKey idempotencyKey;

  RolloutRoutes(MoltRoutes.Singleton orchestrator, ObjectMapper json, JsonBodies bodies, Problems problems,
      HttpLimits limits, Access access, Refusals refusals) {
    this.orchestrator = orchestrator;
    this.json = json;
    this.bodies = bodies;
    this.problems = problems;
    this.planBody = bodies.unmarshaller(PlanBody.TYPE);
    this.rolloutBody = bodies.unmarshaller(RolloutBody.type(limits.maxPauseBetweenBatches()));
    this.access = access;
    this.refusals = refusals;
    this.idempotencyKey = new IdempotencyKey(problems);
  }

  Route routes() {
    return concat(
        path("plan", () -> post(() -> access.as(Operation.PLAN, "plan", granted -> bodies.body(planBody, body -> plan(body, granted))))),
        pathPrefix("rollouts", () -> concat(
            pathEnd(() -> concat(
                post(() -> access.as(Operation.START, "rollouts", granted ->
                    idempotencyKey.optional(key -> bodies.body(rolloutBody, body -> start(body, key, granted))))),
                get(() -> completeWithFuture(quick(OrchestratorProtocol.ListRollouts::new))))),
            path(PathMatchers.segment(), id -> get(() ->
                completeWithFuture(quick(r -> new OrchestratorProtocol.GetRollout(id, r))))),
            path(PathMatchers.segment().slash(PathMatchers.segment()), (id, name) -> post(() -> access.as(Operation.CONTROL,
                Fields.abbreviate(id) + "/" + Fields.abbreviate(name), granted ->
                ControlAction.parse(name).map(action -> idempotencyKey.optional(key -> completeWithFuture(
                        quick(r -> new OrchestratorProtocol.Control(id, action, key, granted.caller(), r)))))
                    .orElseGet(() -> complete(problems.of(StatusCodes.NOT_FOUND, "unknown action",
                        "'" + Fields.abbreviate(name) + "' is not one of " + ControlAction.NAMES)))))))));
  }

  private Route plan(PlanBody body, Granted granted) {
    TargetRequest target = body.targetRequest();
    granted.target(Fields.abbreviate(target.target()));
    return completeWithFuture(orchestrator.askNodes(r -> new OrchestratorProtocol.PlanFor(target, granted.caller(), r))
        .thenApply(reply -> targetReply(reply, target, "POST /molt/plan", StatusCodes.OK))
        .exceptionally(problems::unavailable));
  }

  private Route start(RolloutBody body, String requestId, Granted granted) {
    TargetRequest target = body.targetRequest();
    granted.target(Fields.abbreviate(target.target()));
    RolloutOptions options = body.options();
    return completeWithFuture(orchestrator.askNodes(r -> new OrchestratorProtocol.StartRollout(target, options, requestId, granted.caller(), r))
        .thenApply(reply -> targetReply(reply, target, "POST /molt/rollouts", StatusCodes.ACCEPTED))
        .exceptionally(problems::unavailable));
  }

  /** A request the singleton answers from its own state, rendered; 503 when it does not answer. */
  private CompletionStage<HttpResponse> quick(Function<ActorRef<Reply>, OrchestratorProtocol.Command> command) {
    return orchestrator.askQuick(command).thenApply(reply -> render(reply, StatusCodes.OK)).exceptionally(problems::unavailable);
  }

  /** The singleton's answer to a start or plan; a target it could not resolve is counted as an edge refusal is. */
  private HttpResponse targetReply(Reply reply, TargetRequest target, String route, StatusCode success) {
    if (reply instanceof OrchestratorProtocol.Problem p && TARGET_ERRORS.contains(p.error())) {
      refusals.count("rollout target", route + " target " + Fields.abbreviate(target.target()), p.detail());
    }
    return render(reply, success);
  }

  private HttpResponse render(Reply reply, StatusCode success) {
    if (reply instanceof OrchestratorProtocol.Accepted a) {
      return problems.response(success, json.createObjectNode().put("id", a.id()));
    }
    if (reply instanceof OrchestratorProtocol.RolloutView v) {
      return problems.response(success, json.valueToTree(v.rollout()));
    }
    if (reply instanceof OrchestratorProtocol.Rollouts r) {
      ObjectNode body = json.createObjectNode();
      body.set("rollouts", json.valueToTree(r.rollouts()));
      return problems.response(success, body);
    }
    return problems.reply(reply, success);
  }
}
