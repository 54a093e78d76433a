package dev.molt.node.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Bounds for JSON from outside. Jackson 2.13 has no read constraints, and its tree code
 * (deepCopy, writing, equals) recurses: 200,000 nested arrays overflow the stack, and a
 * StackOverflowError is fatal to Akka (jvm-exit-on-fatal-error). So depth is checked before a tree
 * exists (streaming, without recursion) or, for a tree that arrived another way, by walking it
 * with an explicit stack. The same token pass refuses what Jackson would otherwise take quietly:
 * content after the first value (readTree keeps the first), a field twice in one object (last one
 * wins) and a number so long that converting it costs seconds (quadratic in its length).
 */
public final class JsonBounds {

  private JsonBounds() {}

  /** Longest number token read from a body, in characters; Jackson 2.13 converts any length (quadratic in it). */
  public static final int MAX_NUMBER_CHARS = 100;

  /** A document over one of the bounds or not one value; nothing of it was kept. The message is the client's detail. */
  public static sealed class Refused extends IOException permits TooDeep, TooLong {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** A document nested deeper than the bound. */
  public static final class TooDeep extends Refused {
    private static final long serialVersionUID = 1L;

    TooDeep(String message) {
      super(message);
    }
  }

  /** A document with a number longer than {@link #MAX_NUMBER_CHARS}. */
  public static final class TooLong extends Refused {
    private static final long serialVersionUID = 1L;

    TooLong(String message) {
      super(message);
    }
  }

  /**
   * The factory for documents from outside: like {@code mapper}'s, but an error's location does not
   * quote the document (a client must not get its own body back inside Jackson's text) and a field
   * named twice in one object is an error rather than last-one-wins.
   */
  public static JsonFactory forRequests(ObjectMapper mapper) {
    return mapper.getFactory().copy()
        .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * Parses {@code bytes} into a tree after checking, token by token, that they hold one value (or
   * nothing: null), no array or object nested deeper than {@code maxDepth}, no field twice in one
   * object and no number longer than {@link #MAX_NUMBER_CHARS}.
   *
   * @param factory {@link #forRequests}
   * @throws TooDeep the document is nested deeper than {@code maxDepth}
   * @throws Refused the document holds more than one value, a field twice or a number too long
   * @throws JsonProcessingException the document is not JSON
   */
  public static JsonNode read(ObjectMapper mapper, JsonFactory factory, byte[] bytes, int maxDepth) throws IOException {
    try (JsonParser parser = factory.createParser(bytes)) {
      int depth = 0;
      for (JsonToken token = next(parser); token != null; token = next(parser)) {
        if (token.isStructStart()) {
          depth++;
          if (depth > maxDepth) {
            throw new TooDeep("nested deeper than " + maxDepth + " levels of arrays and objects " + at(parser));
          }
        } else if (token.isStructEnd()) {
          depth--;
        } else if (token.isNumeric() && parser.getTextLength() > MAX_NUMBER_CHARS) {
          throw new TooLong("has a number of " + parser.getTextLength() + " characters " + at(parser)
              + "; the limit is " + MAX_NUMBER_CHARS + " characters");
        }
        if (depth == 0 && next(parser) != null) {
          throw new Refused("must be one JSON object; found more after it " + at(parser));
        }
      }
    }
    return mapper.readTree(factory.createParser(bytes));
  }

  /** The next token; a field named twice (Jackson's duplicate detection) refused in our words. */
  private static JsonToken next(JsonParser parser) throws IOException {
    try {
      return parser.nextToken();
    } catch (JsonParseException e) {
      String name = parser.getParsingContext().getCurrentName();
      if (name != null && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
        throw new Refused("names field '" + abbreviate(name) + "' twice in one object " + at(parser));
      }
      throw e;
    }
  }

  /** Where the parser is, as (line L, column C). */
  static String at(JsonParser parser) {
    return "(line " + parser.getCurrentLocation().getLineNr() + ", column " + parser.getCurrentLocation().getColumnNr() + ")";
  }

  /** A client's text echoed back, cut so an error never carries a whole oversized input. */
  public static String abbreviate(String text) {
    return abbreviate(text, 80);
  }

  /** {@code text} cut to at most {@code max} characters, the cut marked with "...". */
  public static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }

  /** Whether {@code node} nests arrays and objects deeper than {@code maxDepth}; stops at the first such path. */
  public static boolean deeperThan(JsonNode node, int maxDepth) {
    record Level(JsonNode node, int depth) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(node, node.isContainerNode() ? 1 : 0));
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      if (level.depth() > maxDepth) {
        return true;
      }
      for (Iterator<JsonNode> children = level.node().elements(); children.hasNext(); ) {
        JsonNode child = children.next();
        if (child.isContainerNode()) {
          pending.push(new Level(child, level.depth() + 1));
        }
      }
    }
    return false;
  }
}
