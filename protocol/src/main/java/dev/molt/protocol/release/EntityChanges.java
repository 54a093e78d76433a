package dev.molt.protocol.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What may change about entity types between two releases of an application. Akka cannot stop or
 * re-create a running region, and a shard's identity depends on the number of shards, so:
 * <ul>
 *   <li>a type may appear in a newer release (its region starts on a node when that release becomes
 *       current there) and disappear again (its live entities on that node are passivated, messages
 *       to it are refused);
 *   <li>a type present on both sides keeps its behaviour and its number of shards: another number
 *       would map an id to another shard, so one id could run as two entities in a mixed cluster;
 *   <li>a changed {@code passivateAfterSeconds} applies to a node from its next start (a region's
 *       settings are fixed when it starts).
 * </ul>
 */
public final class EntityChanges {
  private EntityChanges() {}

  /** Why an install may not go between {@code a} and {@code b} (either direction), empty when it may. */
  public static List<String> refusals(ReleaseDescriptor a, ReleaseDescriptor b) {
    List<String> refusals = new ArrayList<>();
    for (EntitySpec left : a.entities()) {
      Optional<EntitySpec> right = b.entity(left.type());
      if (right.isEmpty()) {
        continue;
      }
      if (!left.behaviour().equals(right.get().behaviour())) {
        refusals.add("entity type '" + left.type() + "' runs behaviour '" + left.behaviour() + "' in " + a.id()
            + " and '" + right.get().behaviour() + "' in " + b.id() + ": a type keeps its behaviour across releases "
            + "(declare a new type instead)");
      }
      if (!left.shards().equals(right.get().shards())) {
        refusals.add("entity type '" + left.type() + "' has " + left.shards() + " shards in " + a.id() + " and "
            + right.get().shards() + " in " + b.id() + ": the number of shards is fixed for the life of the cluster "
            + "(another number maps an id to another shard, so one id could run as two entities)");
      }
    }
    return refusals;
  }
}
