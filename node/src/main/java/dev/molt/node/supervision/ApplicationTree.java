package dev.molt.node.supervision;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

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
  // Sorted by path, so an install walks its actors in a stable order without sorting 100k paths.
  private final Map<String, Host> hosts = new ConcurrentSkipListMap<>();
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
    List<Host> found = new ArrayList<>();
    for (Host h : hosts.values()) {
      if (h.behaviour().equals(behaviour)) {
        found.add(h);
      }
    }
    return found;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  public Optional<Host> host(String supervisor, String child) {
    return Optional.ofNullable(hosts.get(supervisor + "/" + child));
  }

  public Optional<ActorRef<SupervisorCommand>> supervisor(String name) {
    return Optional.ofNullable(supervisors.get(name));
  }

  /** The names of the supervisors that run now, sorted. */
  public List<String> supervisorNames() {
    return supervisors.keySet().stream().sorted().toList();
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
