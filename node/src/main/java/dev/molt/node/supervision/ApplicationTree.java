package dev.molt.node.supervision;

import akka.actor.typed.ActorRef;
import dev.molt.protocol.release.ReleaseId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one running application's supervisors know about their children, kept up to date by the
 * supervisors themselves as they start, restart and stop them. An install finds the actors of a
 * behaviour here, through the tree, instead of scanning the actor system.
 *
 * <p>The node's sharded entities are listed here too, under pseudo-supervisors {@code entity:<type>}
 * (from a listing the node shares between its trees, since entities outlive an application
 * restart), so installs find and change them as they do tree children. They are not supervisors:
 * {@link #supervisorNames} does not name them.
 */
public final class ApplicationTree {

  /** A live upgradable actor: the supervisor that owns it, its child name, what it runs. */
  public record Host(String supervisor, String child, String behaviour, ActorRef<Object> ref) {
    public String path() {
      return supervisor + "/" + child;
    }
  }

  private final ReleaseId startedOn;
  private final HostListing hosts = new HostListing();
  private final HostListing entities;
  private final Map<String, ActorRef<SupervisorCommand>> supervisors = new ConcurrentHashMap<>();

  public ApplicationTree(ReleaseId startedOn) {
    this(startedOn, new HostListing());
  }

  /** A tree whose host lists include the node's entity hosts, {@code entities}. */
  public ApplicationTree(ReleaseId startedOn, HostListing entities) {
    this.startedOn = startedOn;
    this.entities = entities;
  }

  /** The node's entity hosts, shared with the trees that follow this one. */
  public HostListing entities() {
    return entities;
  }

  /** The release the tree was started on (its actors may have moved since). */
  public ReleaseId startedOn() {
    return startedOn;
  }

  /** Live hosts of a behaviour, in path order. */
  public List<Host> hosts(String behaviour) {
    List<Host> found = new ArrayList<>();
    hosts.collect(behaviour, found);
    entities.collect(behaviour, found);
    return found;
  }

  public List<Host> hosts() {
    List<Host> all = new ArrayList<>(hosts.all());
    all.addAll(entities.all());
    return all;
  }

  public Optional<Host> host(String supervisor, String child) {
    Optional<Host> treeChild = hosts.get(supervisor, child);
    return treeChild.isPresent() ? treeChild : entities.get(supervisor, child);
  }

  public Optional<ActorRef<SupervisorCommand>> supervisor(String name) {
    return Optional.ofNullable(supervisors.get(name));
  }

  /** The names of the supervisors that run now, sorted. */
  public List<String> supervisorNames() {
    return supervisors.keySet().stream().sorted().toList();
  }

  void addHost(Host host) {
    hosts.add(host);
  }

  void removeHost(String supervisor, String child, ActorRef<?> ref) {
    hosts.remove(supervisor, child, ref);
  }

  void addSupervisor(String name, ActorRef<SupervisorCommand> ref) {
    supervisors.put(name, ref);
  }

  void removeSupervisor(String name, ActorRef<?> ref) {
    supervisors.computeIfPresent(name, (k, r) -> r.equals(ref) ? null : r);
  }
}
