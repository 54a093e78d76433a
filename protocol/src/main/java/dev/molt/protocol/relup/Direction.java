package dev.molt.protocol.relup;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which way a hop goes: to a newer release ({@code up}) or back to an older one ({@code down}). */
public enum Direction {
  UP,
  DOWN;

  /** The text in JSON, plans and step descriptions. */
  @JsonValue
  public String json() {
    return name().toLowerCase();
  }

  @Override
  public String toString() {
    return json();
  }
}
