package dev.molt.node.envelope;

/**
 * A message type as stable code sees it: the envelope type name, the schema version it writes, and
 * the stable class its payload is read into.
 *
 * <pre>{@code
 * static final MessageType<Increment> INCREMENT = MessageType.of("increment", 1, Increment.class);
 * }</pre>
 */
public record MessageType<T>(String name, int schemaVersion, Class<T> payloadType) {

  public static <T> MessageType<T> of(String name, int schemaVersion, Class<T> payloadType) {
    return new MessageType<>(name, schemaVersion, payloadType);
  }
}
