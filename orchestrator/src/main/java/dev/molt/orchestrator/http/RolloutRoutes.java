package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRef;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.auth.Operation;
import dev.molt.orchestrator.rollout.ControlAction;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.RolloutOptions;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.orchestrator.rollout.TargetRequest;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rollouts resource: {@code /molt/plan} and {@code /molt/rollouts[/{id}[/{action}]]}. A body is
 * read here into the records the singleton takes, every field checked against its type and bound
 * first (a value the singleton cannot act on, such as a pause its timer refuses, once stopped it for
 * good), and the singleton's replies are rendered here. The target stays as the client named it:
 * only the orchestrator resolves it, against the statuses it gathers to plan.
 *
 * <p>Bodies are read by hand from the tree {@link JsonBodies} gives, not by Akka HTTP's Jackson
 * unmarshaller ({@code akka-http-jackson}, not a dependency): that unmarshaller reads the entity
 * itself, so the size bound would have to be re-applied and the depth bound (checked while
 * parsing; Jackson 2.13 has no nesting limit of its own) would be lost; its refusals are Jackson's
 * messages ("Cannot deserialize value of type `boolean` from String ...") as one generic 400, not a
 * field named with its bound; and durations ({@code "30s"}), percentages ({@code "34%"}) and the
 * mode would need custom deserializers holding these same rules.
 */
final class RolloutRoutes extends AllDirectives {
  private static final List<String> PLAN_FIELDS = List.of("target", "application");
  private static final List<String> START_FIELDS =
      List.of("target", "application", "batchSize", "canary", "pauseBetweenBatches", "mode", "autoRollback");
  private static final String TARGET_RULE = "a release id such as \"game-2.0.0\", or a version such as \"2.0.0\"";
  /** The orchestrator's errors for a target it could not resolve ({@link dev.molt.orchestrator.rollout.RolloutStart#resolve}). */
  private static final Set<String> TARGET_ERRORS = Set.of("unknown target", "ambiguous target", "bad field");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h)?");

  private final MoltRoutes.Singleton orchestrator;
  private final ObjectMapper json;
  private final JsonBodies bodies;
  private final Problems problems;
  private final HttpLimits limits;
  private final Access access;
  private final Refusals refusals;
  private final IdempotencyKey idempotencyKey;

  RolloutRoutes(MoltRoutes.Singleton orchestrator, ObjectMapper json, JsonBodies bodies, Problems problems,
      HttpLimits limits, Access access, Refusals refusals) {
    this.orchestrator = orchestrator;
    this.json = json;
    this.bodies = bodies;
    this.problems = problems;
    this.limits = limits;
    this.access = access;
    this.refusals = refusals;
    this.idempotencyKey = new IdempotencyKey(problems);
  }

  Route routes() {
    return concat(
        path("plan", () -> post(() -> access.as(Operation.PLAN, "plan", granted -> bodies.object(body -> plan(body, granted))))),
        pathPrefix("rollouts", () -> concat(
            pathEnd(() -> concat(
                post(() -> access.as(Operation.START, "rollouts", granted ->
                    idempotencyKey.optional(key -> bodies.object(body -> start(body, key, granted))))),
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

  private Route plan(ObjectNode body, Granted granted) {
    TargetRequest target;
    try {
      Fields.onlyKnown(body, PLAN_FIELDS);
      target = target(body);
      granted.target(Fields.abbreviate(target.target()));
    } catch (BadInput bad) {
      refusals.count("plan fields", "POST /molt/plan", bad.detail());
      return complete(problems.of(bad));
    }
    return completeWithFuture(orchestrator.askNodes(r -> new OrchestratorProtocol.PlanFor(target, granted.caller(), r))
        .thenApply(reply -> targetReply(reply, target, "POST /molt/plan", StatusCodes.OK))
        .exceptionally(problems::unavailable));
  }

  private Route start(ObjectNode body, String requestId, Granted granted) {
    TargetRequest target;
    RolloutOptions options;
    try {
      Fields.onlyKnown(body, START_FIELDS);
      target = target(body);
      granted.target(Fields.abbreviate(target.target()));
      options = new RolloutOptions(batchSize(body.get("batchSize")), bool(body, "canary", false),
          pause(body.get("pauseBetweenBatches"), limits.maxPauseBetweenBatches()), mode(body.get("mode")),
          bool(body, "autoRollback", true));
    } catch (BadInput bad) {
      refusals.count("rollout spec fields", "POST /molt/rollouts", bad.detail());
      return complete(problems.of(bad));
    }
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

  // ---- the body's fields, each refused with its name and bound ----

  /** The target as the client named it: the orchestrator resolves it. */
  private static TargetRequest target(ObjectNode body) throws BadInput {
    String target = Fields.text(body, "target", true, TARGET_RULE);
    String application = Fields.text(body, "application", false, "an application name such as \"game\"");
    if (application != null && !ReleaseDescriptors.isValidName(application)) {
      throw BadInput.field("field 'application' must match " + ReleaseDescriptors.NAME_PATTERN + ", was '" + application + "'");
    }
    return new TargetRequest(target, application);
  }

  private static boolean bool(JsonNode body, String field, boolean absent) throws BadInput {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw BadInput.field("field '" + field + "' must be true or false, was " + Fields.abbreviate(value.toString()));
    }
    return value.booleanValue();
  }

  private static String batchSize(JsonNode value) throws BadInput {
    if (value == null || value.isNull()) {
      return "1";
    }
    String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText().trim() : null;
    boolean percent = text != null && text.endsWith("%");
    String digits = text == null ? "" : percent ? text.substring(0, text.length() - 1) : text;
    long size = digits.matches("\\d{1,9}") ? Long.parseLong(digits) : -1;
    if (size < 1 || size > (percent ? 100 : RolloutSpec.MAX_BATCH_COUNT)) {
      throw BadInput.field("field '" + RolloutSpec.BATCH_SIZE_RULE.replaceFirst("batchSize", "batchSize'")
          + ", was " + Fields.abbreviate(value.toString()));
    }
    return percent ? size + "%" : Long.toString(size);
  }

  private static long pause(JsonNode value, Duration max) throws BadInput {
    if (value == null || value.isNull()) {
      return 0;
    }
    String rule = "field 'pauseBetweenBatches' must be milliseconds or a duration like \"500ms\", \"30s\", \"5m\" or \"1h\", "
        + "from 0 to " + max + " (molt.orchestrator.max-pause-between-batches)";
    String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText().trim() : "";
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw BadInput.field(rule + ", was " + Fields.abbreviate(value.toString()));
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    long millis;
    try {
      millis = switch (unit) {
        case "h" -> Math.multiplyExact(amount, 3_600_000L);
        case "m" -> Math.multiplyExact(amount, 60_000L);
        case "s" -> Math.multiplyExact(amount, 1_000L);
        default -> amount;
      };
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE;
    }
    if (millis > max.toMillis()) {
      throw BadInput.field(rule + ", was " + Fields.abbreviate(value.toString()));
    }
    return millis;
  }

  /** The mode, parsed once here: the singleton and the nodes get the enum. */
  private static InstallMode mode(JsonNode value) throws BadInput {
    if (value == null || value.isNull()) {
      return InstallMode.BARRIER;
    }
    try {
      if (value.isTextual()) {
        return InstallMode.parse(value.asText());
      }
    } catch (IllegalArgumentException e) {
      // Refused below with the field's name.
    }
    throw BadInput.field("field 'mode' must be barrier or pipelined, was " + Fields.abbreviate(value.toString()));
  }
}
