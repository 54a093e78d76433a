package dev.molt.node.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Nesting bounds for JSON from outside. Jackson 2.13 has no read constraints, and its tree code
 * (deepCopy, writing, equals) recurses: 200,000 nested arrays overflow the stack, and a
 * StackOverflowError is fatal to Akka (jvm-exit-on-fatal-error). So depth is checked before a tree
 * exists (streaming, without recursion) or, for a tree that arrived another way, by walking it
 * with an explicit stack.
 */
public final class JsonBounds {

  private JsonBounds() {}

  /** A document nested deeper than the bound; nothing of it was kept. */
  public static final class TooDeep extends IOException {
    private static final long serialVersionUID = 1L;

    TooDeep(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code bytes} into a tree after checking, token by token, that no array or object is
   * nested deeper than {@code maxDepth}.
   *
   * @throws TooDeep the document is nested deeper than {@code maxDepth}
   * @throws IOException the document is not JSON
   */
  public static JsonNode read(ObjectMapper mapper, byte[] bytes, int maxDepth) throws IOException {
    try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructStart()) {
          depth++;
          if (depth > maxDepth) {
            throw new TooDeep("nested deeper than " + maxDepth + " levels of arrays and objects (line "
                + parser.getCurrentLocation().getLineNr() + ", column " + parser.getCurrentLocation().getColumnNr() + ")");
          }
        } else if (token.isStructEnd()) {
          depth--;
        }
      }
    }
    return mapper.readTree(bytes);
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
