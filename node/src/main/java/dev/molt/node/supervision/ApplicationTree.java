package dev.molt.node.supervision;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.release.ReleaseId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one running application's supervisors know about their children, kept up to date by the
 * supervisors themselves as they start, restart and stop them. An install finds the actors of a
 * behaviour here, through the tree, instead of scanning the actor system.
 */
public final class ApplicationTree {

  /** A live upgradable actor: the supervisor that owns it, its child name, what it runs. */
  public record Host(String supervisor, String child, String behaviour, ActorRef<Object> ref) {
    public String path() {
      return supervisor + "/" + child;
    }
  }

  private final ReleaseId startedOn;
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();
  private final Map<String, ActorRef<SupervisorCommand>> supervisors = new ConcurrentHashMap<>();

  public ApplicationTree(ReleaseId startedOn) {
    this.startedOn = startedOn;
  }

  /** The release the tree was started on (its actors may have moved since). */
  public ReleaseId startedOn() {
    return startedOn;
  }

  /** Live hosts of a behaviour, in path order. */
  public List<Host> hosts(String behaviour) {
    return hosts.values().stream()
        .filter(h -> h.behaviour().equals(behaviour))
        .sorted(Comparator.comparing(Host::path))
        .toList();
  }

  public List<Host> hosts() {
    return hosts.values().stream().sorted(Comparator.comparing(Host::path)).toList();
  }

  public Optional<Host> host(String supervisor, String child) {
    return Optional.ofNullable(hosts.get(supervisor + "/" + child));
  }

  public Optional<ActorRef<SupervisorCommand>> supervisor(String name) {
    return Optional.ofNullable(supervisors.get(name));
  }

  void addHost(Host host) {
    hosts.put(host.path(), host);
  }

  void removeHost(String supervisor, String child, ActorRef<?> ref) {
    hosts.computeIfPresent(supervisor + "/" + child, (k, h) -> h.ref().equals(ref) ? null : h);
  }

  void addSupervisor(String name, ActorRef<SupervisorCommand> ref) {
    supervisors.put(name, ref);
  }

  void removeSupervisor(String name, ActorRef<?> ref) {
    supervisors.computeIfPresent(name, (k, r) -> r.equals(ref) ? null : r);
  }
}
