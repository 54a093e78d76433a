package dev.molt.protocol.release;

import java.util.List;

/**
 * One versioned behaviour a release provides, OTP's module with its {@code -vsn}.
 *
 * @param name stable name actors are spawned under; the same across versions
 * @param version behaviour version (1, 2, ...); migrations are keyed by it
 * @param entryClass fully qualified class implementing the node's {@code VersionedBehaviour}
 * @param migratesFrom older versions this version migrates from and back to in one step (its
 *     code must agree: the node verifies it before the point of no return); default: the previous
 *     version. The plan compiler chains releases when a version is not listed.
 */
public record BehaviourSpec(String name, int version, String entryClass, List<Integer> migratesFrom) {

  public BehaviourSpec {
    migratesFrom = migratesFrom == null ? (version > 1 ? List.of(version - 1) : List.of()) : List.copyOf(migratesFrom);
  }

  public BehaviourSpec(String name, int version, String entryClass) {
    this(name, version, entryClass, null);
  }
}
