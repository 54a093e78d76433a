package dev.molt.orchestrator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.json.JsonRefusal;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One kind of JSON request body and the record Jackson databind reads it into, strictly: no
 * unknown field, no null for a primitive, no coercion ({@code "true"} is not a boolean, {@code 3.7}
 * not an integer, {@code 5} not a text). Its record checks its bounds in its constructor, and its
 * fields' own deserializers ({@link BatchSizeDeserializer}, {@link PauseDeserializer}, {@code
 * InstallMode}'s creator) theirs. Every refusal is a {@link BadInput} naming the field, its rule and
 * the value sent (abbreviated), never Jackson's text: {@code rules} says what each field must be.
 */
final class BodyType<T> {
  private static final JsonMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      // Jackson 2.13's coercion configs do not cover a number or boolean read as a text.
      .addModule(new SimpleModule("strict-text").addDeserializer(String.class, new TextOnly()))
      .build();

  private final ObjectReader reader;
  private final List<String> fields;
  private final Map<String, String> rules;
  private final String countedAs;

  /**
   * @param rules what each field must be, completing "field 'x' must be ..."
   * @param countedAs the bound a refused body is counted under ({@link Refusals})
   * @param attributes what the fields' deserializers read from their context (configured bounds)
   */
  BodyType(Class<T> type, Map<String, String> rules, String countedAs, Map<?, ?> attributes) {
    this.reader = STRICT.readerFor(type).withAttributes(attributes);
    this.fields = Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();
    this.rules = rules;
    this.countedAs = countedAs;
  }

  BodyType(Class<T> type, Map<String, String> rules, String countedAs) {
    this(type, rules, countedAs, Map.of());
  }

  /** The body as its record, or the refusal naming the first field that is wrong. */
  T read(ObjectNode body) throws BadInput {
    try {
      return reader.readValue(body);
    } catch (UnrecognizedPropertyException e) {
      throw refused("unknown field '" + Fields.abbreviate(e.getPropertyName()) + "'; fields: " + fields);
    } catch (JsonMappingException e) {
      String field = JsonRefusal.fieldPath(e);
      if (rules.containsKey(field)) {
        throw refused("field '" + field + "' must be " + rules.get(field) + ", was "
            + Fields.abbreviate(body.at(JsonRefusal.pointer(e)).toString()));
      }
      throw refused(constructorRefusal(e));
    } catch (IOException e) {
      throw refused("the body does not fit the fields " + fields);
    }
  }

  /** The record constructor's own refusal (its message names the field), found among the causes. */
  private String constructorRefusal(Throwable failure) {
    String own = JsonRefusal.constructorRefusal(failure);
    return own != null ? own : "the body does not fit the fields " + fields;
  }

  private BadInput refused(String detail) {
    return new BadInput(400, "bad field", detail, countedAs);
  }

  /** A text field takes a JSON string (or null), nothing else. */
  private static final class TextOnly extends StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;

    TextOnly() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        return p.getText();
      }
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
  }
}
