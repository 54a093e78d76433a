package dev.molt.node.release;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps that take a behaviour's state from one version to another, each done by the newer
 * code of its step: 1→3 goes through 2 when 3 only migrates from 2 and a release with 2 is loaded.
 * Shortest path first.
 */
public final class MigrationPath {

  /** One step; {@code newer} runs it in both directions. */
  public record Hop(LoadedBehaviour older, LoadedBehaviour newer, boolean up) {
    public LoadedBehaviour from() {
      return up ? older : newer;
    }

    public LoadedBehaviour to() {
      return up ? newer : older;
    }
  }

  /** No chain of loaded versions connects the two. */
  public static final class NoPathException extends Exception {
    private static final long serialVersionUID = 1L;

    NoPathException(String message) {
      super(message);
    }
  }

  private MigrationPath() {}

  /**
   * @param available every loaded version of the behaviour; {@code from} and {@code to} win for
   *     their own version numbers
   */
  public static List<Hop> find(LoadedBehaviour from, LoadedBehaviour to, Collection<LoadedBehaviour> available)
      throws NoPathException {
    if (from.version() == to.version()) {
      return List.of();
    }
    boolean up = to.version() > from.version();
    int low = Math.min(from.version(), to.version());
    int high = Math.max(from.version(), to.version());
    TreeMap<Integer, LoadedBehaviour> byVersion = new TreeMap<>();
    for (LoadedBehaviour b : available) {
      if (b.version() >= low && b.version() <= high) {
        byVersion.putIfAbsent(b.version(), b);
      }
    }
    byVersion.put(from.version(), from);
    byVersion.put(to.version(), to);

    // Breadth-first over version numbers, walking from `from` towards `to`.
    Map<Integer, Hop> reachedBy = new HashMap<>();
    Deque<Integer> queue = new ArrayDeque<>(List.of(from.version()));
    while (!queue.isEmpty() && !reachedBy.containsKey(to.version())) {
      int at = queue.removeFirst();
      LoadedBehaviour here = byVersion.get(at);
      var next = up ? byVersion.tailMap(at, false) : byVersion.headMap(at, false).descendingMap();
      for (LoadedBehaviour there : next.values()) {
        if (reachedBy.containsKey(there.version()) || there.version() == from.version()) {
          continue;
        }
        boolean step = up ? there.migratesUpFrom(at) : here.migratesDownTo(there.version());
        if (step) {
          reachedBy.put(there.version(), up ? new Hop(here, there, true) : new Hop(there, here, false));
          queue.addLast(there.version());
        }
      }
    }
    if (!reachedBy.containsKey(to.version())) {
      throw new NoPathException("no migration path for '" + from.name() + "' from v" + from.version() + " to v"
          + to.version() + " with the loaded versions " + byVersion.keySet()
          + (up ? ": no chain of versions whose migratesUpFrom accepts the previous one"
                : ": no chain of versions whose migratesDownTo accepts the next one"));
    }
    List<Hop> hops = new ArrayList<>();
    for (int v = to.version(); v != from.version(); ) {
      Hop hop = reachedBy.get(v);
      hops.add(hop);
      v = hop.from().version();
    }
    Collections.reverse(hops);
    return List.copyOf(hops);
  }
}
