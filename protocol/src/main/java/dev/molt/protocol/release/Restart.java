package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

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
    return name().toLowerCase();
  }

  @JsonCreator
  public static Restart parse(String text) {
    return Arrays.stream(values()).filter(r -> r.json().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("restart '" + text + "' must be permanent, transient or temporary"));
  }
}
