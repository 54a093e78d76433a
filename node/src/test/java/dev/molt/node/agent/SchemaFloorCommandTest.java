package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.node.envelope.SchemaFloors;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.release.ReleaseId;
import java.util.Optional;
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
    node.unpack("1.0.0", "2.0.0");
    floors = SchemaFloors.get(node.molt.kit.system());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void setThenLift() {
    assertEquals(new AgentReply.Done("schema-floor counter-1.0.0"),
        node.ask(r -> new AgentCommand.SetSchemaFloor(MoltTestKit.V1, r)));
    assertEquals(Optional.of(MoltTestKit.V1), floors.floor("counter"));
    assertEquals(1, floors.writeSchema("counter", "counter"), "what counter v1 reads");
    assertEquals(new AgentReply.Done("lift-schema-floor counter"),
        node.ask(r -> new AgentCommand.LiftSchemaFloor("counter", r)));
    assertEquals(Optional.empty(), floors.floor("counter"));
    assertEquals(Integer.MAX_VALUE, floors.writeSchema("counter", "counter"));
  }

  @Test
  void aReleaseTheNodeDoesNotHaveIsRefusedAndChangesNothing() {
    node.ask(r -> new AgentCommand.SetSchemaFloor(MoltTestKit.V2, r));
    ReleaseId unknown = new ReleaseId("counter", "9.0.0");
    assertEquals(AgentReply.Failed.of(AgentReply.FailedCommand.SCHEMA_FLOOR,
            "release counter-9.0.0 is not in this node's store: a schema floor must be a release the node has"),
        node.ask(r -> new AgentCommand.SetSchemaFloor(unknown, r)));
    assertEquals(Optional.of(MoltTestKit.V2), floors.floor("counter"));
    assertEquals(2, floors.writeSchema("counter", "counter"));
  }
}
