package dev.molt.node.spi;

import java.util.Map;

/**
 * The parts of a {@link VersionedBehaviour} that are constants, given once to the constructor:
 *
 * <pre>{@code
 * public final class Room extends BaseBehaviour<Room.State, Room.Msg> {
 *   public Room() {
 *     super(2, State.class, Msg.class, Map.of("join", Join.class, "score", Score.class));
 *   }
 *   ...
 * }
 * }</pre>
 */
public abstract class BaseBehaviour<S, M> implements VersionedBehaviour<S, M> {
  private final int version;
  private final Class<S> stateType;
  private final Class<M> messageType;
  private final Map<String, Class<? extends M>> messageTypes;

  protected BaseBehaviour(int version, Class<S> stateType, Class<M> messageType,
      Map<String, Class<? extends M>> messageTypes) {
    this.version = version;
    this.stateType = stateType;
    this.messageType = messageType;
    this.messageTypes = Map.copyOf(messageTypes);
  }

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
}
