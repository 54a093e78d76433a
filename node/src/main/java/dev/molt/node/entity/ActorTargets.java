package dev.molt.node.entity;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import dev.molt.node.agent.AgentCommand;
import dev.molt.node.agent.AgentReply;
import dev.molt.node.cluster.LocalNode;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.supervision.ApplicationTree;
import dev.molt.node.supervision.TreeSupervisor;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Resolves an operator's actor address, {@code {supervisorOrEntityType}/{key}}, on this node: an
 * entity type (reached through sharding, from any node), a running tree child, or a dynamic child
 * its supervisor would start. An address naming nothing fails with {@link UnknownActorException}
 * saying what is unknown and what exists, before any message is sent.
 */
public final class ActorTargets {
  private ActorTargets() {}

  public static CompletionStage<ActorTarget> resolve(ActorSystem<?> system, String name, String key) {
    Entities entities = Entities.get(system);
    if (entities.types().contains(name)) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          new ActorTarget.Entity(name, key, entities.ref(name, key)));
    }
    ReleaseRegistry registry = ReleaseRegistry.get(system);
    return LocalNode.get(system).refs()
        .thenCompose(refs -> AskPattern.<AgentCommand, AgentReply>ask(refs.agent(), AgentCommand.GetTree::new,
            registry.settings().agentLocalTimeout(), system.scheduler()))
        .thenApply(reply -> inTree(registry, entities, name, key, (AgentReply.Tree) reply));
  }

  private static ActorTarget inTree(ReleaseRegistry registry, Entities entities, String supervisor, String key,
      AgentReply.Tree tree) {
    if (tree.tree().supervisor(supervisor).isEmpty()) {
      throw new UnknownActorException("no supervisor or entity type '" + supervisor + "' runs on this node; supervisors: "
          + tree.tree().supervisorNames() + ", entity types: " + entities.types());
    }
    String child = TreeSupervisor.childName(key);
    Optional<ApplicationTree.Host> running = tree.tree().host(supervisor, child);
    if (running.isPresent()) {
      return new ActorTarget.Child(supervisor, child, running.get().ref());
    }
    Optional<SupervisorSpec> spec = Optional.ofNullable(tree.running()).flatMap(registry::find)
        .map(LoadedRelease::descriptor).flatMap(d -> d.supervisor(supervisor));
    if (spec.isPresent() && spec.get().dynamic() != null && spec.get().child(child).isEmpty()) {
      return new ActorTarget.OnDemand(supervisor, key);
    }
    throw new UnknownActorException("supervisor '" + supervisor + "' has no running child '" + key + "'"
        + (spec.map(s -> s.dynamic() == null).orElse(true) ? " and starts no dynamic children" : "")
        + "; its running children: " + tree.tree().hosts().stream().filter(h -> h.supervisor().equals(supervisor))
            .map(ApplicationTree.Host::child).toList());
  }
}
