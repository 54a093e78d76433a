package dev.molt.node.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The release's own JSON mapper, configured by Molt and part of the state schema: records and
 * beans, unknown properties ignored, ISO dates, {@code ActorRef}s as their serialization format.
 * One per release, so no release class ever sits in a mapper that outlives it.
 */
public interface ReleaseJson {

  JsonNode toJson(Object value);

  <T> T fromJson(JsonNode json, Class<T> type);

  ObjectNode newObject();
}
