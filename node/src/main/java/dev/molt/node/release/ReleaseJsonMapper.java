package dev.molt.node.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.ReleaseJson;

/** {@link ReleaseJson} over the release's own mapper. */
final class ReleaseJsonMapper implements ReleaseJson {
  private final ObjectMapper mapper;

  ReleaseJsonMapper(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public JsonNode toJson(Object value) {
    return mapper.valueToTree(value);
  }

  @Override
  public <T> T fromJson(JsonNode json, Class<T> type) {
    try {
      return mapper.treeToValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot read " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public ObjectNode newObject() {
    return mapper.createObjectNode();
  }
}
