package dev.molt.orchestrator.http;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.management.javadsl.ManagementRouteProvider;
import akka.management.javadsl.ManagementRouteProviderSettings;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.json.MoltJson;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.events.RolloutEvents;
import dev.molt.orchestrator.rollout.OrchestratorSingleton;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Molt's routes on the Akka Management port: releases, plans, rollouts, actors and the cluster
 * view, JSON in and out; the event stream, the metrics and the dashboard. Every error is {@code {"error": ..., "detail": ...}} with a 4xx/5xx status,
 * never a stack trace ({@link Problems}); every body is bounded before it is read ({@link
 * JsonBodies}, {@link HttpLimits}). Who may do what is {@link Access}'s: reads open or for viewers, each other
 * request needing its operation's role.
 */
public final class MoltRoutes extends AllDirectives implements ManagementRouteProvider {
  private final Route routes;
  private final Refusals refusals = new Refusals();

  /** Called by Akka Management (akka.management.http.routes.molt). */
  public MoltRoutes(ExtendedActorSystem classic) {
    this(Adapter.toTyped(classic));
  }

  private MoltRoutes(ActorSystem<?> system) {
    this(system, OrchestratorSingleton.init(system));
    // At start, not at the first client: the singleton's topic learns of this node's through the
    // Receptionist's gossip, and events published before that never reach this node.
    RolloutEvents.get(system);
  }

  /** The routes against a given orchestrator; tests pass a stand-in. */
  MoltRoutes(ActorSystem<?> system, ActorRef<Command> orchestrator) {
    ObjectMapper json = MoltJson.stable(ActorRefResolver.get(system));
    HttpLimits limits = HttpLimits.from(system.settings().config());
    Problems problems = new Problems(json);
    Credentials credentials = Credentials.get(system);
    JsonBodies bodies = new JsonBodies(json, Materializer.matFromSystem(system), problems, limits, refusals);
    Singleton singleton = new Singleton(orchestrator, system.scheduler(),
        system.settings().config().getDuration("molt.http.orchestrator-ask-timeout"),
        system.settings().config().getDuration("molt.http.orchestrator-quick-timeout"));
    Access access = new Access(system, credentials, new ClusterCredentials(system, singleton), problems);
    this.routes = pathPrefix("molt", () -> FatalGuard.guard(
        handleExceptions(problems.exceptions(), () -> handleRejections(problems.rejections(), () -> access.reads(concat(
            new ReleaseRoutes(system, singleton, json, problems, limits, access, refusals).routes(),
            new RolloutRoutes(singleton, json, bodies, problems, limits, access, refusals).routes(),
            new ClusterRoutes(singleton, json, problems, access).routes(),
            new ActorRoutes(system, json, problems, bodies, access, refusals).routes(),
            new EventRoutes(() -> RolloutEvents.get(system), problems, refusals).routes(),
            new MetricsRoutes(system, problems).routes(),
            new DashboardRoutes().routes())))),
        problems.of(StatusCodes.INTERNAL_SERVER_ERROR, "internal error", "see the node's log")));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return routes;
  }

  Route routes() {
    return routes;
  }

  /** Requests refused at the edge so far, by bound. */
  Refusals refusals() {
    return refusals;
  }

  /**
   * The orchestrator singleton (through its proxy) as every resource asks it, with the timeout of
   * what it asks: answers the singleton gets by asking the nodes (molt.http.orchestrator-ask-timeout)
   * or from its own state (molt.http.orchestrator-quick-timeout). Each resource renders the reply
   * itself; one that does not come is {@link Problems#unavailable}.
   */
  record Singleton(ActorRef<Command> ref, Scheduler scheduler, Duration askTimeout, Duration quickTimeout) {

    CompletionStage<Reply> askNodes(Function<ActorRef<Reply>, Command> command) {
      return ask(command, askTimeout);
    }

    CompletionStage<Reply> askQuick(Function<ActorRef<Reply>, Command> command) {
      return ask(command, quickTimeout);
    }

    CompletionStage<Reply> ask(Function<ActorRef<Reply>, Command> command, Duration timeout) {
      return AskPattern.ask(ref, command::apply, timeout, scheduler);
    }
  }
}
