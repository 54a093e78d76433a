package dev.molt.protocol.release;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Cluster Sharding entity type a release declares: entities addressed by id from any node, each
 * a host of {@code behaviour} started on demand on the node that owns its shard.
 *
 * @param type the entity type key (the same across releases; part of every shard's identity)
 * @param behaviour the behaviour of the release the entities run
 * @param passivateAfterSeconds an entity idle this long is passivated (stopped; its next message
 *     starts it again with its start state on the current release); 0 or absent keeps idle entities
 * @param shards the number of shards, fixed for the life of the cluster (an entity id maps to a
 *     shard by it: changing it would give one id two entities); required
 */
public record EntitySpec(String type, String behaviour, Integer passivateAfterSeconds, Integer shards) {

  public EntitySpec {
    passivateAfterSeconds = passivateAfterSeconds == null ? 0 : passivateAfterSeconds;
  }

  public static final String TYPE_PATTERN = "[a-z][a-z0-9-]{0,39}";
  private static final Pattern TYPE = Pattern.compile(TYPE_PATTERN);
  /** Upper bounds: a day of idleness, and Akka's advice of about ten shards per node for a large cluster. */
  public static final int MAX_PASSIVATE_SECONDS = 86_400;
  public static final int MAX_SHARDS = 10_000;

  /** Problems of the {@code entities} field of {@code d}, each naming the field. */
  static void problems(ReleaseDescriptor d, List<String> problems) {
    Set<String> seen = new java.util.HashSet<>();
    Set<String> supervisors = d.supervisors().stream().map(SupervisorSpec::name).filter(Objects::nonNull)
            .collect(java.util.stream.Collectors.toSet());
    for (int i = 0; i < d.entities().size(); i++) {
      EntitySpec e = d.entities().get(i);
      String at = "entities[" + i + "]";
      if (e == null) {
        problems.add(at + " is null");
        continue;
      }
      if (e.type() == null || !TYPE.matcher(e.type()).matches()) {
        problems.add(at + ".type '" + e.type() + "' must match " + TYPE_PATTERN);
      } else if (!seen.add(e.type())) {
        problems.add(at + ".type '" + e.type() + "' is listed twice");
      } else if (supervisors.contains(e.type())) {
        // The admin route addresses both by one path segment: one name must mean one thing.
        problems.add(at + ".type '" + e.type() + "' is also the name of a supervisor; use another name");
      }
      if (e.behaviour() == null || d.behaviour(e.behaviour()).isEmpty()) {
        problems.add(at + ".behaviour '" + e.behaviour() + "' is not a behaviour of the release");
      }
      if (e.passivateAfterSeconds() < 0 || e.passivateAfterSeconds() > MAX_PASSIVATE_SECONDS) {
        problems.add(at + ".passivateAfterSeconds must be 0 (never) to " + MAX_PASSIVATE_SECONDS + ", was "
            + e.passivateAfterSeconds());
      }
      if (e.shards() == null) {
        problems.add(at + ".shards is required: the number of shards, 1 to " + MAX_SHARDS
            + " (fixed for the life of the cluster; about ten per node of the largest cluster planned)");
      } else if (e.shards() < 1 || e.shards() > MAX_SHARDS) {
        problems.add(at + ".shards must be 1 to " + MAX_SHARDS + ", was " + e.shards());
      }
    }
  }
}
