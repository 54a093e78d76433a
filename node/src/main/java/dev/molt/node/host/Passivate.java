package dev.molt.node.host;

/**
 * The stop message Cluster Sharding sends an entity host to passivate it (idle, {@code stop()},
 * a shard handed off). A running host stops at once; a suspended one keeps it behind the messages
 * it stashed, so an install's suspension never loses them: they are replayed on the new code at
 * resume, then the host stops.
 */
public record Passivate() {
  public static final Passivate INSTANCE = new Passivate();
}
