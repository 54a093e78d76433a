package dev.molt.node.supervision;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Live upgradable actors by path ({@code supervisor/child}), kept by whoever starts and stops them:
 * a supervision tree for its children, the node's entity regions for their entities.
 */
public final class HostListing {
  // Sorted by path, so an install walks its actors in a stable order without sorting 100k paths.
  private final Map<String, ApplicationTree.Host> hosts = new ConcurrentSkipListMap<>();

  public void add(ApplicationTree.Host host) {
    hosts.put(host.path(), host);
  }

  /** Removes the host at that path if it is still {@code ref} (not already a newer incarnation). */
  public void remove(String supervisor, String child, ActorRef<?> ref) {
    hosts.computeIfPresent(supervisor + "/" + child, (k, h) -> h.ref().equals(ref) ? null : h);
  }

  public Optional<ApplicationTree.Host> get(String supervisor, String child) {
    return Optional.ofNullable(hosts.get(supervisor + "/" + child));
  }

  /** Live hosts of a behaviour, in path order, added to {@code into}. */
  void collect(String behaviour, List<ApplicationTree.Host> into) {
    for (ApplicationTree.Host h : hosts.values()) {
      if (h.behaviour().equals(behaviour)) {
        into.add(h);
      }
    }
  }

  public Collection<ApplicationTree.Host> all() {
    return hosts.values();
  }

  public int size() {
    return hosts.size();
  }

  public List<ApplicationTree.Host> of(String behaviour) {
    List<ApplicationTree.Host> found = new ArrayList<>();
    collect(behaviour, found);
    return found;
  }
}
