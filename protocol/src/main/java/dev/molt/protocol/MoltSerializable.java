package dev.molt.protocol;

/**
 * Marker for Molt's own messages that cross JVMs. Nodes bind it to Akka's {@code jackson-json}
 * serializer. Release classes never implement it: they cross boundaries as {@link
 * dev.molt.protocol.envelope.Envelope}s, because Akka resolves classes only through the
 * ActorSystem's fixed class loader.
 */
public interface MoltSerializable {}
