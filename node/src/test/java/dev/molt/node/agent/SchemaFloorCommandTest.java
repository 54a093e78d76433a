package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.node.envelope.SchemaFloors;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node agent sets and lifts an application's write schema floor; a bad request changes nothing. */
class SchemaFloorCommandTest {
  private AgentTestKit node;
  private SchemaFloors floors;

  @BeforeEach
  void start() {
    node = AgentTestKit.create();
    node.unpack("1.0.0");
    floors = SchemaFloors.get(node.molt.kit.system());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void setThenLift() {
    assertEquals(new AgentReply.Done("schema-floor counter 1"),
        node.ask(r -> new AgentCommand.SetSchemaFloor("counter", 1, r)));
    assertEquals(OptionalInt.of(1), floors.floor("counter"));
    assertEquals(new AgentReply.Done("schema-floor counter lifted"),
        node.ask(r -> new AgentCommand.SetSchemaFloor("counter", null, r)));
    assertEquals(OptionalInt.empty(), floors.floor("counter"));
  }

  @Test
  void anUnknownApplicationOrASchemaBelowOneIsRefusedAndChangesNothing() {
    node.ask(r -> new AgentCommand.SetSchemaFloor("counter", 2, r));
    assertEquals(AgentReply.Failed.of(AgentReply.FailedCommand.SCHEMA_FLOOR,
            "no release of application 'bank' is in this node's store"),
        node.ask(r -> new AgentCommand.SetSchemaFloor("bank", 1, r)));
    assertEquals(AgentReply.Failed.of(AgentReply.FailedCommand.SCHEMA_FLOOR,
            "schema floor of 'counter' must be >= 1, was 0"),
        node.ask(r -> new AgentCommand.SetSchemaFloor("counter", 0, r)));
    assertEquals(OptionalInt.of(2), floors.floor("counter"));
    assertEquals(OptionalInt.empty(), floors.floor("bank"));
  }
}
