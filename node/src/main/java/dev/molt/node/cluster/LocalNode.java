package dev.molt.node.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.molt.node.agent.AgentCommand;
import dev.molt.protocol.control.AgentRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This node's own agents, for code on the node that is not an actor (management routes): set
 * once by the node's guardian when it has spawned them.
 */
public final class LocalNode implements Extension {
  public static final ExtensionId<LocalNode> ID =
      new ExtensionId<>() {
        @Override
        public LocalNode createExtension(ActorSystem<?> system) {
          return new LocalNode();
        }
      };

  public record Refs(ActorRef<AgentCommand> agent, ActorRef<AgentRequest> clusterAgent) {}

  private final CompletableFuture<Refs> refs = new CompletableFuture<>();

  public static LocalNode get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public void started(ActorRef<AgentCommand> agent, ActorRef<AgentRequest> clusterAgent) {
    refs.complete(new Refs(agent, clusterAgent));
  }

  public CompletionStage<Refs> refs() {
    return refs;
  }
}
