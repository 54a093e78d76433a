package dev.molt.protocol.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.molt.protocol.WireName;

/** How the actors of an install move. */
public enum InstallMode implements WireName {
  /**
   * OTP's way: suspend every affected actor, change them all, resume them all. Atomic for the node:
   * no actor of the block runs new code while another still runs old code.
   */
  BARRIER,
  /**
   * The barrier's way in small blocks ({@code molt.install.swaps-in-flight} actors, {@code
   * molt.install.blocks-in-flight} blocks at a time): each block is suspended, changed and resumed,
   * so an actor pauses for its own block instead of for the whole window. Actors are on mixed versions while the step runs.
   */
  PIPELINED;

  /**
   * Delegating: Akka's Jackson mapper (parameter names module) reads a one-argument creator as
   * properties-based and then refuses the plain string every node sends.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static InstallMode parse(String text) {
    for (InstallMode mode : values()) {
      if (mode.json().equals(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode '" + text + "' must be barrier or pipelined");
  }
}
