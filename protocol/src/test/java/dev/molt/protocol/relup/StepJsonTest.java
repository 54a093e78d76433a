package dev.molt.protocol.relup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Direction and load order are enums in code and the same text on the wire as when they were strings. */
class StepJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void changeCodeWritesAndReadsTheSameTextAsBefore() throws Exception {
    Step step = new Step.ChangeCode("room", 2, 1, Direction.DOWN, mapper.createObjectNode(), LoadOrder.MIGRATE_THEN_LOAD);
    JsonNode json = mapper.readTree(mapper.writerFor(Step.class).writeValueAsString(step));
    assertEquals("down", json.get("direction").asText());
    assertEquals("migrate-then-load", json.get("order").asText());

    String older = "{\"op\":\"change-code\",\"behaviour\":\"room\",\"fromVersion\":1,\"toVersion\":2,"
        + "\"direction\":\"up\",\"extra\":{},\"order\":\"load-then-migrate\"}";
    assertEquals(new Step.ChangeCode("room", 1, 2, Direction.UP, mapper.createObjectNode(), LoadOrder.LOAD_THEN_MIGRATE),
        mapper.readValue(older, Step.class));
    assertEquals("change-code room v1 -> v2 (up, load-then-migrate)", mapper.readValue(older, Step.class).describe());
  }

  @Test
  void aScriptKeepsItsDirectionText() throws Exception {
    RelupScript script = new RelupScript(new ReleaseId("a", "1.0.0"), new ReleaseId("a", "2.0.0"), Direction.UP, true,
        List.of(new Step.PointOfNoReturn()));
    JsonNode json = mapper.readTree(mapper.writeValueAsString(script));
    assertEquals("up", json.get("direction").asText());
    assertEquals(script, mapper.readValue(mapper.writeValueAsString(script), RelupScript.class));
  }

  @Test
  void timeoutsAreOptionalOnTheWire() throws Exception {
    Step suspend = new Step.Suspend(List.of("m", "n"), java.util.Map.of("m", 2000L));
    assertEquals(suspend, mapper.readValue(mapper.writerFor(Step.class).writeValueAsString(suspend), Step.class));
    Step change = new Step.ChangeCode("m", 1, 2, Direction.UP, mapper.createObjectNode(), LoadOrder.LOAD_THEN_MIGRATE, 2000L);
    assertEquals(change, mapper.readValue(mapper.writerFor(Step.class).writeValueAsString(change), Step.class));

    // Written by a node without timeouts: read as "the node's default".
    assertEquals(new Step.Suspend(List.of("m")), mapper.readValue("{\"op\":\"suspend\",\"behaviours\":[\"m\"]}", Step.class));
    String plain = mapper.writerFor(Step.class).writeValueAsString(new Step.Suspend(List.of("m")));
    assertEquals("{\"op\":\"suspend\",\"behaviours\":[\"m\"]}", plain, "no timeout, no new field");
  }
}
