package dev.molt.node.envelope;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.molt.node.release.LoadedBehaviour;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.ReleaseId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's per-application <em>write schema floor</em>: a release whose readers every envelope
 * must suit. While one is set, each host of that application writes the envelopes that leave its
 * release (to stable code, other releases, other nodes) in the message schema its behaviour has in
 * the floor release, down-migrated by the writing version. During a rollout the floor is the oldest
 * running release, so every node reads what every other writes (Akka's two-step serializer change,
 * done by the rollout); once the target is permanent it is lifted and the new shapes are written.
 * Hosts read it at each envelope they write, so a change applies from the next message on.
 */
public final class SchemaFloors implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaFloors.class);

  public static final ExtensionId<SchemaFloors> ID =
      new ExtensionId<>() {
        @Override
        public SchemaFloors createExtension(ActorSystem<?> system) {
          return new SchemaFloors(ReleaseRegistry.get(system));
        }
      };

  /** The floor release and the schema each of its behaviours reads. */
  private record Floor(ReleaseId release, Map<String, Integer> schemas) {}

  private final ReleaseRegistry registry;
  private final Map<String, Floor> floors = new ConcurrentHashMap<>();

  private SchemaFloors(ReleaseRegistry registry) {
    this.registry = registry;
  }

  public static SchemaFloors get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * From now on hosts of {@code release}'s application write what {@code release} reads. Its
   * schemas come from its loaded code, or from its descriptor (a behaviour's schema is by default its
   * version) when it is stored but not loaded; a release this node does not have is refused.
   */
  public void set(ReleaseId release) {
    Map<String, Integer> schemas = new HashMap<>();
    var loaded = registry.find(release);
    if (loaded.isPresent()) {
      for (LoadedBehaviour behaviour : loaded.get().behaviours()) {
        schemas.put(behaviour.name(), behaviour.messageSchemaVersion());
      }
    } else {
      var stored = registry.store().find(release).orElseThrow(() -> new IllegalArgumentException(
          "release " + release + " is not in this node's store: a schema floor must be a release the node has"));
      for (BehaviourSpec spec : stored.descriptor().behaviours()) {
        schemas.put(spec.name(), spec.version());
      }
    }
    Floor before = floors.put(release.name(), new Floor(release, Map.copyOf(schemas)));
    LOG.info("schema floor of {}: {} (was {}): envelopes leaving its releases are written in the schemas {} at most",
        release.name(), release, before == null ? "none" : before.release(), schemas);
  }

  /** Hosts of {@code application} write their own schemas again. */
  public void lift(String application) {
    Floor before = floors.remove(application);
    if (before != null) {
      LOG.info("schema floor of {} lifted (was {}): each version writes its own schema", application, before.release());
    }
  }

  /**
   * The schema {@code behaviour} of {@code application} writes envelopes in at most: MAX_VALUE
   * when no floor is set, or the floor release lacks that behaviour (nobody on it reads them).
   */
  public int writeSchema(String application, String behaviour) {
    Floor floor = floors.get(application);
    return floor == null ? Integer.MAX_VALUE : floor.schemas().getOrDefault(behaviour, Integer.MAX_VALUE);
  }

  /** The floor release of {@code application}, empty when none is set. */
  public Optional<ReleaseId> floor(String application) {
    Floor floor = floors.get(application);
    return floor == null ? Optional.empty() : Optional.of(floor.release());
  }
}
