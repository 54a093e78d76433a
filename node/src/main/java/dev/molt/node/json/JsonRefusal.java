package dev.molt.node.json;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Why a JSON body did not read as its type, in a client's words: the field, what it must be and
 * what was sent, or the type's own refusal (a record constructor's message). Never Jackson's text,
 * which names Java types in backticks and quotes the source.
 */
public final class JsonRefusal {
  /** Types Jackson reads from a JSON string. */
  private static final List<Class<?>> FROM_STRINGS = List.of(java.util.UUID.class, java.net.URI.class, java.net.URL.class,
      java.time.temporal.Temporal.class, java.time.Duration.class, java.time.ZoneId.class, java.util.Date.class,
      java.util.Locale.class, java.nio.file.Path.class, java.util.regex.Pattern.class);

  private JsonRefusal() {}

  /** {@code failure}: what reading {@code body} as {@code type} threw, Jackson's exception anywhere among its causes. */
  public static String describe(Throwable failure, JsonNode body, Class<?> type) {
    JsonMappingException mapping = cause(failure, JsonMappingException.class);
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + JsonBounds.abbreviate(unknown.getPropertyName()) + "'; fields: "
          + names(unknown.getKnownPropertyIds());
    }
    if (mapping instanceof ValueInstantiationException) {
      String own = constructorRefusal(mapping);
      return own != null ? own : "the body does not fit " + type.getSimpleName();
    }
    if (mapping == null || mapping.getPath().isEmpty()) {
      return "the body does not fit " + type.getSimpleName();
    }
    String field = fieldPath(mapping);
    Class<?> target = mapping instanceof MismatchedInputException m ? m.getTargetType() : null;
    JsonNode sent = body.at(pointer(mapping));
    if (mapping instanceof InvalidFormatException invalid && invalid.getValue() instanceof String key && sent.isObject()) {
      // A map's key: the path ends at the map, the value Jackson tried is the key.
      return "field '" + field + "' has a key that must be " + (target == null ? "of another kind" : kind(target))
          + ", was " + JsonBounds.abbreviate("\"" + key + "\"");
    }
    String expected = target == null ? "of another shape" : kind(target);
    // Where Jackson's path does not lead to the value it refused (elements of a set are counted as
    // kept, not as sent), the value found there would be the wrong one to show.
    return "field '" + field + "' must be " + expected
        + (sent.isMissingNode() || target != null && fits(target, sent) ? "" : ", was " + JsonBounds.abbreviate(sent.toString()));
  }

  /**
   * The type's own refusal: the message of an {@link IllegalArgumentException} its constructor
   * threw, first line only, bounded. Not the JDK's own (a number or enum parsed inside the
   * constructor), which names Java types and echoes the whole input; null then.
   */
  public static String constructorRefusal(Throwable failure) {
    IllegalArgumentException own = cause(failure, IllegalArgumentException.class);
    if (own == null || own.getClass() != IllegalArgumentException.class || own.getMessage() == null
        || own.getMessage().startsWith("No enum constant")) {
      return null;
    }
    return JsonBounds.abbreviate(JsonBodyReader.firstLine(own.getMessage()), 300);
  }

  /** Whether {@code value} is of the kind {@code type} reads (then it is not what was refused). */
  private static boolean fits(Class<?> type, JsonNode value) {
    return switch (kind(type)) {
      case "an integer" -> value.isIntegralNumber();
      case "a number" -> value.isNumber();
      case "true or false" -> value.isBoolean();
      case "a string" -> value.isTextual();
      case "an array" -> value.isArray();
      default -> false;
    };
  }

  /** Where the failure is: {@code batchSize}, {@code a.b}, {@code a[0]}; empty at the root. */
  public static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      path.append(r.getFieldName() != null ? (path.length() == 0 ? "" : ".") + r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return path.toString();
  }

  /** The same place in the body, where the value sent is. */
  public static JsonPointer pointer(JsonMappingException e) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      pointer.append('/').append(r.getFieldName() != null ? r.getFieldName().replace("~", "~0").replace("/", "~1") : r.getIndex());
    }
    return JsonPointer.compile(pointer.toString());
  }

  /** A Java type as JSON calls its values. */
  private static String kind(Class<?> type) {
    if (type == int.class || type == long.class || type == short.class || type == byte.class || type == Integer.class
        || type == Long.class || type == Short.class || type == Byte.class || type == java.math.BigInteger.class) {
      return "an integer";
    }
    if (type == double.class || type == float.class || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class || type == char.class || type == Character.class) {
      return "a string";
    }
    if (type.isEnum()) {
      TreeSet<String> constants = new TreeSet<>();
      for (Object constant : type.getEnumConstants()) {
        constants.add(((Enum<?>) constant).name()); // what Jackson reads, whatever toString says
      }
      return "one of " + constants;
    }
    if (FROM_STRINGS.stream().anyMatch(t -> t.isAssignableFrom(type))) {
      return "a string (" + type.getSimpleName() + ")";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static String names(Collection<Object> ids) {
    TreeSet<String> sorted = new TreeSet<>();
    if (ids != null) {
      ids.forEach(id -> sorted.add(String.valueOf(id)));
    }
    return sorted.toString();
  }

  /** {@code failure} or the first of its causes that is a {@code wanted}; null if none is. */
  static <T extends Throwable> T cause(Throwable failure, Class<T> wanted) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (wanted.isInstance(c)) {
        return wanted.cast(c);
      }
    }
    return null;
  }
}
