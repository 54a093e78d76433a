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
import dev.molt.protocol.release.ReleaseId;
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

  /** Asks this node's agent (which knows the running tree); fails with {@link UnknownActorException}. */
  public static CompletionStage<ActorTarget> resolve(ActorSystem<?> system, String name, String key) {
    return LocalNode.get(system).refs()
        .thenCompose(refs -> AskPattern.<AgentCommand, AgentReply>ask(refs.agent(),
            r -> new AgentCommand.FindActor(name, key, r), ReleaseRegistry.get(system).settings().agentLocalTimeout(),
            system.scheduler()))
        .thenApply(reply -> {
          if (reply instanceof AgentReply.ActorFound found) {
            return found.target();
          }
          throw new UnknownActorException(((AgentReply.ActorUnknown) reply).problem());
        });
  }

  /** What {@code name/key} names given the node's tree and the release it runs. */
  public static ActorTarget find(ActorSystem<?> system, ApplicationTree tree, ReleaseId running, String name, String key) {
    Entities entities = Entities.get(system);
    if (entities.types().contains(name)) {
      return new ActorTarget.Entity(name, key, entities.ref(name, key));
    }
    if (tree.supervisor(name).isEmpty()) {
      throw new UnknownActorException("no supervisor or entity type '" + name + "' runs on this node; supervisors: "
          + tree.supervisorNames() + ", entity types: " + entities.types());
    }
    String child = TreeSupervisor.childName(key);
    Optional<ApplicationTree.Host> live = tree.host(name, child);
    if (live.isPresent()) {
      return new ActorTarget.Child(name, child, live.get().ref());
    }
    Optional<SupervisorSpec> spec = Optional.ofNullable(running).flatMap(ReleaseRegistry.get(system)::find)
        .map(LoadedRelease::descriptor).flatMap(d -> d.supervisor(name));
    boolean dynamic = spec.map(s -> s.dynamic() != null).orElse(false);
    if (dynamic && spec.get().child(child).isEmpty()) {
      return new ActorTarget.OnDemand(name, key);
    }
    throw new UnknownActorException("supervisor '" + name + "' has no running child '" + key + "'"
        + (dynamic ? "" : " and starts no dynamic children") + "; its running children: "
        + tree.hosts().stream().filter(h -> h.supervisor().equals(name)).map(ApplicationTree.Host::child).toList());
  }
}
