package dev.molt.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** An orchestrator and an agent one control-protocol version apart still understand each other. */
class ProtocolVersionTest {
  private static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aVersionOneStatusIsReadByVersionTwo() {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    NodeStatus current = new NodeStatus("n1", new ReleaseId("counter", "1.0.0"), null, List.of(), false, 3, 0, 0, 0, true, 0);
    var serializer = serialization.findSerializerFor(current);
    String manifest = Serializers.manifestFor(serializer, current);
    assertTrue(manifest.endsWith("#2"), "version 2 is written: " + manifest);

    // What a version-1 agent sends: no 'ready' field, manifest without version 2.
    String v1 = "{\"node\":\"n1\",\"running\":{\"name\":\"counter\",\"version\":\"1.0.0\"},\"permanent\":null,"
        + "\"releases\":[],\"installing\":false,\"actors\":3,\"rejectedMessages\":0,\"stashOverflows\":0,\"failedMigrations\":0}";
    NodeStatus read = (NodeStatus) serialization.deserialize(v1.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName()).get();
    assertTrue(read.ready(), "migrated: a v1 agent that is not installing is ready");
    assertEquals(new ReleaseId("counter", "1.0.0"), read.running());
    assertEquals(0, read.stuckThreads(), "a field an older agent does not send reads as none");

    // What a version-3 agent might send: a field this version does not know is ignored.
    String v3 = v1.replace("}", ",\"ready\":false,\"zone\":\"eu-1\"}").replace("\"version\":\"1.0.0\"},", "\"version\":\"1.0.0\"},");
    NodeStatus newer = (NodeStatus) serialization.deserialize(v3.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName() + "#3").get();
    assertEquals(3, newer.actors());
  }
}
