package dev.molt.node.release;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The registry's memo of {@link MigrationPath}s. Every actor of a behaviour asks for the same path
 * during an install; finding it each time (every loaded version listed, sorted and searched) was a
 * third of a code change's time with 10,000 actors. Forgotten whenever the loaded releases change,
 * so a path never outlives, nor pins, the code it runs through.
 */
final class MigrationPaths {
  private record Key(LoadedBehaviour from, LoadedBehaviour to) {}

  private final Map<Key, List<MigrationPath.Hop>> known = new ConcurrentHashMap<>();
  private long generation;

  /** @param loaded whether a release is still loaded: a path through a purged one is used once, not kept */
  List<MigrationPath.Hop> find(LoadedBehaviour from, LoadedBehaviour to, Supplier<Collection<LoadedBehaviour>> available,
      Predicate<LoadedRelease> loaded) throws MigrationPath.NoPathException {
    Key key = new Key(from, to);
    List<MigrationPath.Hop> hops = known.get(key);
    if (hops != null) {
      return hops;
    }
    long seen = generation();
    hops = MigrationPath.find(from, to, available.get());
    synchronized (this) {
      // A load or purge while we searched, or before (the caller found `to` just before its
      // release was purged), may have changed the answer: use it once, do not keep it.
      if (generation == seen && loaded.test(from.release()) && loaded.test(to.release())
          && hops.stream().allMatch(h -> loaded.test(h.older().release()) && loaded.test(h.newer().release()))) {
        known.put(key, hops);
      }
    }
    return hops;
  }

  synchronized void forget() {
    generation++;
    known.clear();
  }

  private synchronized long generation() {
    return generation;
  }
}
