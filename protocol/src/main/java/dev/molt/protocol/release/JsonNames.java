package dev.molt.protocol.release;

/**
 * The JSON names of the descriptor's closed sets (its enums): lower case, {@code -} for {@code _}.
 * A name that is none of them is refused naming the field and every name it allows.
 */
final class JsonNames {
  private JsonNames() {}

  static String of(Enum<?> value) {
    return value.name().toLowerCase().replace('_', '-');
  }

  static <E extends Enum<E>> E parse(E[] values, String field, String text) {
    StringBuilder allowed = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (of(values[i]).equals(text)) {
        return values[i];
      }
      allowed.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(of(values[i]));
    }
    throw new IllegalArgumentException(field + " '" + text + "' must be " + allowed);
  }
}
