package dev.molt.node.json;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Why a JSON body did not read as its type, in a client's words: the field, what it must be and
 * what was sent, or the type's own refusal (a record constructor's message). Never Jackson's text,
 * which names Java types in backticks and quotes the source.
 */
public final class JsonRefusal {
  private JsonRefusal() {}

  /** {@code failure}: what reading {@code body} as {@code type} threw, Jackson's exception anywhere among its causes. */
  public static String describe(Throwable failure, JsonNode body, Class<?> type) {
    JsonMappingException mapping = cause(failure, JsonMappingException.class);
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + JsonBounds.abbreviate(unknown.getPropertyName()) + "'; fields: "
          + names(unknown.getKnownPropertyIds());
    }
    if (mapping instanceof ValueInstantiationException && cause(mapping, IllegalArgumentException.class) != null) {
      return cause(mapping, IllegalArgumentException.class).getMessage();
    }
    if (mapping != null && !mapping.getPath().isEmpty()) {
      String expected = mapping instanceof MismatchedInputException m && m.getTargetType() != null
          ? kind(m.getTargetType()) : "of another shape";
      return "field '" + fieldPath(mapping) + "' must be " + expected + ", was "
          + JsonBounds.abbreviate(body.at(pointer(mapping)).toString());
    }
    return "the body does not fit " + type.getSimpleName();
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
        constants.add(constant.toString());
      }
      return "one of " + constants;
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

  private static <T extends Throwable> T cause(Throwable failure, Class<T> wanted) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (wanted.isInstance(c)) {
        return wanted.cast(c);
      }
    }
    return null;
  }
}
