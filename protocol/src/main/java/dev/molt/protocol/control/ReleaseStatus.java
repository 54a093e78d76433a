package dev.molt.protocol.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.molt.protocol.WireName;

/**
 * OTP's release statuses ({@code release_handler:which_releases}); {@link #json()} is the text on
 * the wire ({@link ControlMessages.ReleaseEntry}), in {@code /molt/releases} and in the node's
 * metrics, as it was when the status was a String.
 */
public enum ReleaseStatus implements WireName {
  /** Stored, never installed. */
  UNPACKED,
  /** Installed and running, not yet permanent. */
  CURRENT,
  /** What a restart boots. */
  PERMANENT,
  /** Installed before. */
  OLD,
  /**
   * A status this version does not know, sent by a newer node; no node of this version reports it.
   * A constant rather than the raw text kept beside it: the orchestrator decides nothing from a
   * release's status (only that the node holds the release), it only shows it, and a refusal would
   * lose the node's whole status (its health, its releases) over one word it cannot act on anyway.
   * {@code /molt/releases} shows it as {@code unknown}.
   */
  UNKNOWN;

  /**
   * Delegating: Akka's Jackson mapper (parameter names module) reads a one-argument creator as
   * properties-based and then refuses the plain string every node sends.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ReleaseStatus parse(String text) {
    return WireName.parse(ReleaseStatus.class, text).orElse(UNKNOWN);
  }

  @Override
  public String toString() {
    return json();
  }
}
