package dev.molt.orchestrator.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.rollout.OrchestratorProtocol;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The routes' side of the orchestrator singleton: asks with their timeouts, and its replies as HTTP. */
final class OrchestratorAsks {
  private static final Logger log = LoggerFactory.getLogger(OrchestratorAsks.class);
  /** Requests the orchestrator answers after asking the nodes (molt.http.orchestrator-ask-timeout). */
  private final Duration askTimeout;
  /** Requests it answers from its own state (molt.http.orchestrator-quick-timeout). */
  private final Duration quickTimeout;
  private final ActorSystem<?> system;
  private final ActorRef<Command> orchestrator;
  private final ObjectMapper json;
  private final Problems problems;

  OrchestratorAsks(ActorSystem<?> system, ActorRef<Command> orchestrator, ObjectMapper json, Problems problems) {
    this.system = system;
    this.orchestrator = orchestrator;
    this.json = json;
    this.problems = problems;
    this.askTimeout = system.settings().config().getDuration("molt.http.orchestrator-ask-timeout");
    this.quickTimeout = system.settings().config().getDuration("molt.http.orchestrator-quick-timeout");
  }

  /** Asks a request the orchestrator answers by asking the nodes. */
  CompletionStage<Reply> askNodes(Function<ActorRef<Reply>, Command> command) {
    return ask(command, askTimeout);
  }

  CompletionStage<Reply> ask(Function<ActorRef<Reply>, Command> command, Duration timeout) {
    return AskPattern.ask(orchestrator, command::apply, timeout, system.scheduler());
  }

  /** A request answered from the orchestrator's own state, as HTTP; 503 when it does not answer. */
  CompletionStage<HttpResponse> quick(Function<ActorRef<Reply>, Command> command, StatusCode success) {
    return ask(command, quickTimeout).thenApply(reply -> toResponse(reply, success)).exceptionally(this::unavailable);
  }

  CompletionStage<Reply> clusterView() {
    return askNodes(OrchestratorProtocol.GetCluster::new);
  }

  /** The cluster view rendered by {@code render}; the orchestrator's problem or 503 otherwise. */
  CompletionStage<HttpResponse> cluster(Function<OrchestratorProtocol.ClusterView, HttpResponse> render) {
    return clusterView()
        .thenApply(reply -> reply instanceof OrchestratorProtocol.ClusterView view ? render.apply(view) : toResponse(reply, StatusCodes.OK))
        .exceptionally(this::unavailable);
  }

  HttpResponse toResponse(Reply reply, StatusCode success) {
    if (reply instanceof OrchestratorProtocol.Problem p) {
      return problems.of(StatusCodes.get(p.status()), p.error(), p.detail());
    }
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
    return problems.response(success, json.valueToTree(reply));
  }

  HttpResponse unavailable(Throwable t) {
    Throwable cause = Problems.cause(t);
    if (cause instanceof BadInput bad) {
      return problems.of(bad);
    }
    log.warn("orchestrator did not answer: {}", cause.toString());
    return problems.of(StatusCodes.SERVICE_UNAVAILABLE, "orchestrator unavailable",
        "the orchestrator did not answer in time (it may be moving to another node); try again");
  }
}
