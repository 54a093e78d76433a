package dev.molt.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum whose text on the wire, on disk and in logs is its name in lower case with hyphens
 * ({@code LOAD_THEN_MIGRATE} is {@code load-then-migrate}), so a closed set that used to be a
 * String keeps its JSON.
 */
public interface WireName {

  String name();

  @JsonValue
  default String json() {
    return name().toLowerCase().replace('_', '-');
  }
}
