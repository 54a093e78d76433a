package dev.molt.node.release;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  List<MigrationPath.Hop> find(LoadedBehaviour from, LoadedBehaviour to, Supplier<Collection<LoadedBehaviour>> available)
      throws MigrationPath.NoPathException {
    Key key = new Key(from, to);
    List<MigrationPath.Hop> hops = known.get(key);
    if (hops != null) {
      return hops;
    }
    long seen = generation();
    hops = MigrationPath.find(from, to, available.get());
    synchronized (this) {
      // A load or purge while we searched may have changed the answer: use it once, do not keep it.
      if (generation == seen) {
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
