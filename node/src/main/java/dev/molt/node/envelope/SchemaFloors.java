package dev.molt.node.envelope;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's per-application <em>write schema floor</em>: while one is set, hosts of that
 * application write the envelopes that leave their release (to stable code, other releases, other
 * nodes) in the floor's schema, down-migrated by the writing version. During a rollout the floor is
 * the schema the oldest running version reads, so every node can read what every other writes
 * (Akka's two-step serializer change, done by the rollout); once the target is permanent it is
 * lifted and the new shape is written. Hosts read it at each envelope they write, so a change
 * applies from the next message on.
 */
public final class SchemaFloors implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaFloors.class);

  public static final ExtensionId<SchemaFloors> ID =
      new ExtensionId<>() {
        @Override
        public SchemaFloors createExtension(ActorSystem<?> system) {
          return new SchemaFloors();
        }
      };

  private final Map<String, Integer> floors = new ConcurrentHashMap<>();

  private SchemaFloors() {}

  public static SchemaFloors get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Hosts of {@code application} write schema {@code schema} at most from now on. */
  public void set(String application, int schema) {
    if (application == null || application.isBlank()) {
      throw new IllegalArgumentException("a schema floor needs an application name");
    }
    if (schema < 1) {
      throw new IllegalArgumentException("schema floor of '" + application + "' must be >= 1, was " + schema);
    }
    Integer before = floors.put(application, schema);
    LOG.info("schema floor of {}: {} (was {}): envelopes leaving its releases are written in schema {} at most",
        application, schema, before == null ? "none" : before, schema);
  }

  /** Hosts of {@code application} write their own schema again. */
  public void lift(String application) {
    Integer before = floors.remove(application);
    if (before != null) {
      LOG.info("schema floor of {} lifted (was {}): each version writes its own schema", application, before);
    }
  }

  /** The schema {@code application}'s envelopes are written in at most; MAX_VALUE when no floor is set. */
  public int writeSchema(String application) {
    Integer floor = floors.get(application);
    return floor == null ? Integer.MAX_VALUE : floor;
  }

  public OptionalInt floor(String application) {
    Integer floor = floors.get(application);
    return floor == null ? OptionalInt.empty() : OptionalInt.of(floor);
  }
}
