package dev.molt.node.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The first place two JSON documents differ, as a JSON pointer (RFC 6901) with the value on each
 * side. Objects compare by field, whatever their order; arrays by position; numbers by value (a
 * state written once as an int and once as a long is the same state).
 */
public final class JsonDifference {

  /** Where the documents differ; a side that lacks the field shows as {@code (missing)}. */
  public record Difference(String pointer, JsonNode before, JsonNode after) {
    public String describe() {
      return (pointer.isEmpty() ? "/" : pointer) + ": " + show(before) + " before, " + show(after) + " after";
    }

    private static String show(JsonNode value) {
      return value.isMissingNode() ? "(missing)" : value.toString();
    }
  }

  private JsonDifference() {}

  public static Optional<Difference> first(JsonNode before, JsonNode after) {
    return Optional.ofNullable(walk("", orMissing(before), orMissing(after)));
  }

  private static Difference walk(String pointer, JsonNode before, JsonNode after) {
    if (before.isNumber() && after.isNumber()) {
      return before.decimalValue().compareTo(after.decimalValue()) == 0 ? null : new Difference(pointer, before, after);
    }
    if (before.isObject() && after.isObject()) {
      // Sorted, so the first difference named is the same on every run.
      TreeSet<String> fields = new TreeSet<>();
      before.fieldNames().forEachRemaining(fields::add);
      after.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        Difference d = walk(pointer + "/" + escape(field), before.path(field), after.path(field));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (before.isArray() && after.isArray()) {
      Iterator<JsonNode> a = before.elements();
      Iterator<JsonNode> b = after.elements();
      for (int i = 0; a.hasNext() || b.hasNext(); i++) {
        Difference d = walk(pointer + "/" + i, a.hasNext() ? a.next() : MissingNode.getInstance(),
            b.hasNext() ? b.next() : MissingNode.getInstance());
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return before.equals(after) ? null : new Difference(pointer, before, after);
  }

  private static JsonNode orMissing(JsonNode node) {
    return node == null ? MissingNode.getInstance() : node;
  }

  private static String escape(String field) {
    return field.replace("~", "~0").replace("/", "~1");
  }
}
