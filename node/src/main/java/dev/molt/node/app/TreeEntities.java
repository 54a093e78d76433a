package dev.molt.node.app;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.release.LoadedRelease;
import dev.molt.protocol.envelope.Envelope;
import dev.molt.protocol.release.SupervisorSpec;
import java.time.Duration;
import dev.molt.node.spi.EntityAskException;
import dev.molt.node.spi.EntityAskException.Reason;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Entities as the dynamic children of the supervision tree on this node: the entity type names a
 * supervisor with dynamic children (or their behaviour), the id is the child's key (started on demand by the node agent).
 * Node-local: another node reaches another actor of the same id. Used for releases that declare
 * no sharded entities.
 */
final class TreeEntities implements EntityDirectory {
  private final ActorSystem<?> system;

  TreeEntities(ActorSystem<?> system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Envelope> ask(LoadedRelease release, String entityType, String entityId,
      Function<ActorRef<Envelope>, Envelope> message, Duration timeout) {
    Optional<String> supervisor = supervisorOf(release, entityType);
    if (supervisor.isEmpty()) {
      return CompletableFuture.failedFuture(new EntityAskException(Reason.UNKNOWN_ENTITY_TYPE,
          "release " + release.id() + " has no entity type '" + entityType + "'"));
    }
    return LocalNode.get(system).refs().thenCompose(refs -> AskPattern.<AgentCommand, Envelope>ask(refs.agent(),
        replyTo -> new AgentCommand.Deliver(supervisor.get(), entityId, message.apply(replyTo)), timeout, system.scheduler()));
  }

  /** The supervisor whose dynamic children are the entities: named by the type, or running its behaviour. */
  private static Optional<String> supervisorOf(LoadedRelease release, String entityType) {
    return release.descriptor().supervisors().stream()
        .filter(s -> s.dynamic() != null && (s.name().equals(entityType) || s.dynamic().behaviour().equals(entityType)))
        .map(SupervisorSpec::name)
        .findFirst();
  }
}
