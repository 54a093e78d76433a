package dev.molt.node.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.molt.protocol.release.ReleaseId;

/** A release in the node's store and its status, as OTP's {@code release_handler:which_releases}. */
public record ReleaseStatus(ReleaseId release, Status status, String sha256) {

  /** OTP's release statuses; {@link #json()} is the text on the wire and on disk. */
  public enum Status {
    /** Stored, never installed. */
    UNPACKED,
    /** Installed and running, not yet permanent. */
    CURRENT,
    /** What a restart boots. */
    PERMANENT,
    /** Installed before. */
    OLD;

    @JsonValue
    public String json() {
      return name().toLowerCase();
    }

    @Override
    public String toString() {
      return json();
    }
  }
}
