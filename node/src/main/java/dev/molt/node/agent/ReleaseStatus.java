package dev.molt.node.agent;

import dev.molt.protocol.release.ReleaseId;

/**
 * A release in the node's store and its status, as OTP's {@code release_handler:which_releases}:
 * {@code unpacked} (stored, never installed), {@code current} (installed, running, not yet
 * permanent), {@code permanent} (what a restart boots), {@code old} (installed before).
 */
public record ReleaseStatus(ReleaseId release, String status, String sha256) {
  public static final String UNPACKED = "unpacked";
  public static final String CURRENT = "current";
  public static final String PERMANENT = "permanent";
  public static final String OLD = "old";
}
