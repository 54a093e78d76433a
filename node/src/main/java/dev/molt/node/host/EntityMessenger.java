package dev.molt.node.host;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import dev.molt.protocol.envelope.Envelope;

/**
 * How a host's code reaches a sharded entity by type and id ({@code BehaviourContext.tellEntity}).
 * The host owns this interface and the node's entity types ({@code dev.molt.node.entity.Entities})
 * implement it and register themselves per actor system, so the host package does not depend on
 * the entity package, which is built on hosts.
 */
public interface EntityMessenger {

  /**
   * Sends {@code message} to the entity, wherever in the cluster it lives.
   *
   * @throws IllegalArgumentException the type is unknown to the node (the message names the known
   *     ones) or the id is empty; nothing is sent
   */
  void tell(String entityType, String entityId, Envelope message);

  /** The messenger of an actor system, or one refusing every type while none is registered. */
  static EntityMessenger of(ActorSystem<?> system) {
    return Registered.ID.apply(system).messenger;
  }

  /** Makes {@code messenger} the system's; the node's entity types do it once, when they start. */
  static void register(ActorSystem<?> system, EntityMessenger messenger) {
    Registered.ID.apply(system).messenger = messenger;
  }

  /** Before any registration: nothing on the node declares entity types. */
  EntityMessenger NONE = (type, id, message) -> {
    throw new IllegalArgumentException("unknown entity type '" + type + "': no release on this node declares entity types");
  };

  /** The per-system slot; an extension so that it lives and dies with its actor system. */
  final class Registered implements Extension {
    private static final ExtensionId<Registered> ID =
        new ExtensionId<>() {
          @Override
          public Registered createExtension(ActorSystem<?> system) {
            return new Registered();
          }
        };

    private volatile EntityMessenger messenger = NONE;

    private Registered() {}
  }
}
