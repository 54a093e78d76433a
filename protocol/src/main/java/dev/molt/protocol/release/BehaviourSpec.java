package dev.molt.protocol.release;

/**
 * One versioned behaviour a release provides, OTP's module with its {@code -vsn}.
 *
 * @param name stable name actors are spawned under; the same across versions
 * @param version behaviour version (1, 2, ...); migrations are keyed by it
 * @param entryClass fully qualified class implementing the node's {@code VersionedBehaviour}
 */
public record BehaviourSpec(String name, int version, String entryClass) {}
