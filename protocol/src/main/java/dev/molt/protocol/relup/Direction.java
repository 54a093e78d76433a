package dev.molt.protocol.relup;

import dev.molt.protocol.WireName;

/** Which way a hop goes: to a newer release ({@code up}) or back to an older one ({@code down}). */
public enum Direction implements WireName {
  UP,
  DOWN;

  @Override
  public String toString() {
    return json();
  }
}
