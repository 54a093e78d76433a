package dev.molt.protocol.release;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

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
    return name().toLowerCase().replace('_', '-');
  }

  @JsonCreator
  public static Strategy parse(String text) {
    return Arrays.stream(values()).filter(s -> s.json().equals(text)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("strategy '" + text + "' must be one-for-one, one-for-all or rest-for-one"));
  }
}
