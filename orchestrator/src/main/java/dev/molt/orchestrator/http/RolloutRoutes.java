package dev.molt.orchestrator.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.rollout.ControlAction;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.TargetRequest;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** {@code /molt/plan} and {@code /molt/rollouts[/{id}[/{action}]]}. */
final class RolloutRoutes extends AllDirectives {
  private static final List<String> PLAN_FIELDS = List.of("target", "application");
  /** The orchestrator's errors for a target it could not resolve ({@link dev.molt.orchestrator.rollout.Targets}). */
  private static final Set<String> TARGET_ERRORS = Set.of("unknown target", "ambiguous target", "bad field");

  private final OrchestratorAsks orchestrator;
  private final JsonBodies bodies;
  private final Problems problems;
  private final HttpLimits limits;
  private final Function<java.util.function.Supplier<Route>, Route> admin;
  private final Refusals refusals;
  private final IdempotencyKey idempotencyKey;

  RolloutRoutes(OrchestratorAsks orchestrator, JsonBodies bodies, Problems problems, HttpLimits limits,
      Function<java.util.function.Supplier<Route>, Route> admin, Refusals refusals) {
    this.refusals = refusals;
    this.orchestrator = orchestrator;
    this.bodies = bodies;
    this.problems = problems;
    this.limits = limits;
    this.admin = admin;
    this.idempotencyKey = new IdempotencyKey(problems);
  }

  Route routes() {
    return concat(
        path("plan", () -> post(() -> admin.apply(() -> bodies.object(this::plan)))),
        pathPrefix("rollouts", () -> concat(
            pathEnd(() -> concat(
                post(() -> admin.apply(() -> idempotencyKey.optional(key -> bodies.object(body -> start(body, key))))),
                get(() -> completeWithFuture(orchestrator.quick(OrchestratorProtocol.ListRollouts::new, StatusCodes.OK))))),
            path(PathMatchers.segment(), id -> get(() ->
                completeWithFuture(orchestrator.quick(r -> new OrchestratorProtocol.GetRollout(id, r), StatusCodes.OK)))),
            path(PathMatchers.segment().slash(PathMatchers.segment()), (id, name) -> post(() -> admin.apply(() ->
                ControlAction.parse(name).map(action -> idempotencyKey.optional(key -> completeWithFuture(
                        orchestrator.quick(r -> new OrchestratorProtocol.Control(id, action, key, r), StatusCodes.OK))))
                    .orElseGet(() -> complete(problems.of(StatusCodes.NOT_FOUND, "unknown action",
                        "'" + Fields.abbreviate(name) + "' is not one of " + ControlAction.NAMES)))))))));
  }

  private Route plan(ObjectNode body) {
    String target;
    String application;
    try {
      Fields.onlyKnown(body, PLAN_FIELDS);
      target = Fields.text(body, "target", true, "a release id such as \"game-2.0.0\", or a version such as \"2.0.0\"");
      application = Fields.text(body, "application", false, "an application name such as \"game\"");
    } catch (BadInput bad) {
      refusals.count("plan fields", "POST /molt/plan", bad.detail());
      return complete(problems.of(bad));
    }
    TargetRequest request = new TargetRequest(target, application);
    return completeWithFuture(orchestrator.askNodes(r -> new OrchestratorProtocol.PlanFor(request, r))
        .thenApply(reply -> response(reply, request, "POST /molt/plan", StatusCodes.OK))
        .exceptionally(orchestrator::unavailable));
  }

  private Route start(ObjectNode body, String requestId) {
    RolloutRequest request;
    try {
      request = RolloutRequest.parse(body, limits);
    } catch (BadInput bad) {
      refusals.count("rollout spec fields", "POST /molt/rollouts", bad.detail());
      return complete(problems.of(bad));
    }
    TargetRequest target = request.targetRequest();
    return completeWithFuture(orchestrator.askNodes(r -> new OrchestratorProtocol.StartRollout(target, request.options(), requestId, r))
        .thenApply(reply -> response(reply, target, "POST /molt/rollouts", StatusCodes.ACCEPTED))
        .exceptionally(orchestrator::unavailable));
  }

  /** The orchestrator's answer as HTTP; a target it could not resolve is counted as an edge refusal is. */
  private HttpResponse response(OrchestratorProtocol.Reply reply, TargetRequest target, String route, StatusCode success) {
    if (reply instanceof OrchestratorProtocol.Problem p && TARGET_ERRORS.contains(p.error())) {
      refusals.count("rollout target", route + " target " + Fields.abbreviate(target.target()), p.detail());
    }
    return orchestrator.toResponse(reply, success);
  }
}
