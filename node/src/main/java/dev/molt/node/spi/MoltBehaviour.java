package dev.molt.node.spi;

import java.util.Map;

/**
 * A versioned behaviour written in Akka's style: handlers declared with a receive builder, message
 * types named from a sealed interface, and the version given once, by the release descriptor.
 *
 * <pre>{@code
 * public final class Room extends MoltBehaviour<Room.State, Room.Msg> {
 *   public sealed interface Msg {}
 *   public record Join(String player) implements Msg {}          // travels as "join"
 *   public record Score(String player, long points) implements Msg {}
 *
 *   public Room() { super(State.class, Msg.class); }
 *
 *   protected Receive<State, Msg> createReceive() {
 *     return newReceiveBuilder().on(Join.class, this::join).on(Score.class, this::score).build();
 *   }
 *   private State join(BehaviourContext<Msg> ctx, State s, Join m) { ... }
 * }
 * }</pre>
 *
 * <p>Like every behaviour it is stateless and shared by all actors of its version; the receive is
 * built once, on first use.
 */
public abstract class MoltBehaviour<S, M> implements VersionedBehaviour<S, M> {
  private final Class<S> stateType;
  private final Class<M> messageType;
  private final Map<String, Class<? extends M>> messageTypes;
  private final int declaredVersion;
  private volatile int version;
  private volatile Receive<S, M> receive;

  /** {@code messageType} must be sealed: its permitted records are its message types. */
  protected MoltBehaviour(Class<S> stateType, Class<M> messageType) {
    this.stateType = stateType;
    this.messageType = messageType;
    this.messageTypes = MessageNames.of(messageType);
    Version annotated = getClass().getAnnotation(Version.class);
    this.declaredVersion = annotated == null ? 0 : annotated.value();
    this.version = declaredVersion;
  }

  /** The handlers of this version; called once. */
  protected abstract Receive<S, M> createReceive();

  protected final ReceiveBuilder<S, M> newReceiveBuilder() {
    return new ReceiveBuilder<>();
  }

  /**
   * Gives this behaviour the version its release descriptor declares; called once by the loader.
   * Refuses a different version from {@link Version}, so the version is never written twice
   * differently.
   */
  public final void descriptorVersion(int descriptorVersion) {
    if (declaredVersion != 0 && declaredVersion != descriptorVersion) {
      throw new IllegalArgumentException(getClass().getName() + " says @Version(" + declaredVersion
          + ") but the release descriptor says version " + descriptorVersion
          + ": give the version in one place (the descriptor), or make both agree");
    }
    if (version != 0 && version != descriptorVersion) {
      throw new IllegalStateException(getClass().getName() + " already runs as version " + version);
    }
    version = descriptorVersion;
  }

  /** The descriptor's version (or {@link Version}'s); 0 before the release is loaded. */
  @Override
  public final int version() {
    return version;
  }

  @Override
  public final Class<S> stateType() {
    return stateType;
  }

  @Override
  public final Class<M> messageType() {
    return messageType;
  }

  @Override
  public final Map<String, Class<? extends M>> messageTypes() {
    return messageTypes;
  }

  @Override
  public final S onMessage(BehaviourContext<M> context, S state, M message) throws Exception {
    Receive<S, M> handlers = receive;
    if (handlers == null) {
      // Shared by every actor of this version; building it twice in a race is harmless.
      handlers = createReceive();
      receive = handlers;
    }
    return handlers.apply(context, state, message);
  }
}
