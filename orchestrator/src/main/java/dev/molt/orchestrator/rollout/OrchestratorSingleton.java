package dev.molt.orchestrator.rollout;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import java.time.Duration;

/**
 * The orchestrator as the cluster singleton {@code molt-orchestrator}, supervised: an exception
 * (a bug, a malformed message from another node) restarts it, and a restart reads the rollout
 * from Distributed Data and continues it, as a new singleton on another node would. Without this
 * an exception stopped the singleton for good and every rollout route answered 503 until its node
 * left. Restarts back off (0.5 s doubling to 30 s) so that state that throws again cannot spin a
 * core; each restart is logged by Akka with the exception. Commands from clients pass the {@link
 * CredentialsGate} first.
 */
public final class OrchestratorSingleton {
  private OrchestratorSingleton() {}

  public static final String NAME = "molt-orchestrator";

  public static Behavior<Command> behavior() {
    return Behaviors.supervise(Behaviors.<Command>setup(context -> Behaviors.<Command, Command>intercept(
            () -> new CredentialsGate(Credentials.get(context.getSystem()).users().fingerprint()), Orchestrator.create())))
        .onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2));
  }

  /** Starts the singleton manager on this node (idempotent) and returns the proxy. */
  public static ActorRef<Command> init(ActorSystem<?> system) {
    return ClusterSingleton.get(system).init(SingletonActor.of(behavior(), NAME));
  }
}
