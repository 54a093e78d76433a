package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A supervisor's restart strategy, as in OTP. */
public enum Strategy {
  /** Only the failed child is restarted. */
  ONE_FOR_ONE,
  /** Every child is restarted when one fails. */
  ONE_FOR_ALL,
  /** The failed child and the children started after it are restarted. */
  REST_FOR_ONE;

  @JsonValue
  public String json() {
    return JsonNames.of(this);
  }

  @JsonCreator
  public static Strategy parse(String text) {
    return JsonNames.parse(values(), "strategy", text);
  }
}
