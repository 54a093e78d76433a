package dev.molt.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

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

  /** The constant of {@code type} whose wire text is {@code text}; empty for a text this version does not know. */
  static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String text) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> e.json().equals(text)).findFirst();
  }
}
