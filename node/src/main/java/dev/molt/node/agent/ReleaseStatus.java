package dev.molt.node.agent;

import dev.molt.protocol.WireName;
import dev.molt.protocol.release.ReleaseId;

/** A release in the node's store and its status, as OTP's {@code release_handler:which_releases}. */
public record ReleaseStatus(ReleaseId release, Status status, String sha256) {

  /** OTP's release statuses; {@link #json()} is the text on the wire and on disk. */
  public enum Status implements WireName {
    /** Stored, never installed. */
    UNPACKED,
    /** Installed and running, not yet permanent. */
    CURRENT,
    /** What a restart boots. */
    PERMANENT,
    /** Installed before. */
    OLD;

    @Override
    public String toString() {
      return json();
    }
  }
}
