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
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Entities as the dynamic children of the supervision tree on this node: the entity type is a
 * supervisor with dynamic children, the id the child's key (started on demand by the node agent).
 * Node-local: another node reaches another actor of the same id. Used for releases that declare
 * no sharded entities.
 */
final class TreeEntities implements EntityDirectory {
  private final ActorSystem<?> system;

  TreeEntities(ActorSystem<?> system) {
    this.system = system;
  }

  @Override
  public Optional<String> unknown(LoadedRelease release, String entityType) {
    boolean dynamic = release.descriptor().supervisor(entityType).map(SupervisorSpec::dynamic).isPresent();
    return dynamic ? Optional.empty()
        : Optional.of("release " + release.id() + " has no entity type or dynamic supervisor '" + entityType + "'");
  }

  @Override
  public CompletionStage<Envelope> ask(String entityType, String entityId, Function<ActorRef<Envelope>, Envelope> message,
      Duration timeout) {
    return LocalNode.get(system).refs().thenCompose(refs -> AskPattern.<AgentCommand, Envelope>ask(refs.agent(),
        replyTo -> new AgentCommand.Deliver(entityType, entityId, message.apply(replyTo)), timeout, system.scheduler()));
  }
}
