package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A child's restart type, as in OTP's child specs. */
public enum Restart {
  /** Always restarted. */
  PERMANENT,
  /** Restarted only when it fails; a normal stop is final. */
  TRANSIENT,
  /** Never restarted. */
  TEMPORARY;

  @JsonValue
  public String json() {
    return JsonNames.of(this);
  }

  @JsonCreator
  public static Restart parse(String text) {
    return JsonNames.parse(values(), "restart", text);
  }
}
