package dev.molt.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import dev.molt.protocol.control.ApplicationState;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.ApplicationStatus;
import dev.molt.protocol.control.ControlMessages.ApplySchemaFloor;
import dev.molt.protocol.control.ControlMessages.Licence;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.ReleaseEntry;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.StartType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
  void statusesOfVersionsOneTwoThreeAndFiveAreReadByVersionFour() {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    Instant stopsAt = Instant.parse("2026-12-03T23:15:02.123Z");
    NodeStatus current = new NodeStatus("n1", new ReleaseId("counter", "1.0.0"), null, List.of(), false, 3, 0, 0, 0, true, 0,
        new Licence(false, stopsAt), List.of(new ApplicationStatus("audit", StartType.PERMANENT, ApplicationState.FAILED,
            "root supervisor 'auditors' failed: boom"), new ApplicationStatus("counter", StartType.PERMANENT, ApplicationState.RUNNING, null)));
    var serializer = serialization.findSerializerFor(current);
    String manifest = Serializers.manifestFor(serializer, current);
    assertTrue(manifest.endsWith("#4"), "version 4 is written: " + manifest);
    byte[] bytes = serialization.serialize(current).get();
    NodeStatus roundTrip = (NodeStatus) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    assertEquals(current, roundTrip, "the licence, with its stop time, and the applications survive the wire");
    assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"state\":\"failed\""), "states are lower case");

    // What a version-1 agent sends: no 'ready' field, manifest without a version.
    String v1 = "{\"node\":\"n1\",\"running\":{\"name\":\"counter\",\"version\":\"1.0.0\"},\"permanent\":null,"
        + "\"releases\":[],\"installing\":false,\"actors\":3,\"rejectedMessages\":0,\"stashOverflows\":0,\"failedMigrations\":0}";
    NodeStatus read = (NodeStatus) serialization.deserialize(v1.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName()).get();
    assertTrue(read.ready(), "migrated: a v1 agent that is not installing is ready");
    assertEquals(new ReleaseId("counter", "1.0.0"), read.running());
    assertEquals(0, read.stuckThreads(), "a field an older agent does not send reads as none");
    assertNull(read.licence(), "a v1 agent says nothing about its licence");

    // What a version-2 agent sends: 'ready', no licence.
    String v2 = withFields(v1, "\"ready\":false");
    NodeStatus two = (NodeStatus) serialization.deserialize(v2.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName() + "#2").get();
    assertFalse(two.ready());
    assertNull(two.licence(), "not reported: shown as null, not as 'no key'");

    // What a version-3 agent sends: a licence, no applications.
    String v3 = withFields(v1, "\"ready\":true,\"stuckThreads\":1,\"licence\":{\"keySet\":true,\"stopsAt\":null}");
    NodeStatus three = (NodeStatus) serialization.deserialize(v3.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName() + "#3").get();
    assertEquals(new Licence(true, null), three.licence());
    assertNull(three.applications(), "not reported: shown as null, not as 'no applications'");

    // What a version-4 agent might send: a field this version does not know is ignored.
    String v4 = withFields(v1, "\"ready\":false,\"licence\":{\"keySet\":true,\"stopsAt\":null},\"zone\":\"eu-1\"");
    NodeStatus newer = (NodeStatus) serialization.deserialize(v4.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName() + "#4").get();
    assertEquals(3, newer.actors());
    assertEquals(new Licence(true, null), newer.licence());

    // What a version-5 agent might send: a field this version does not know is ignored.
    String v5 = withFields(v1, "\"ready\":true,\"applications\":[{\"name\":\"counter\",\"startType\":\"permanent\","
        + "\"state\":\"running\",\"reason\":null,\"since\":\"x\"}],\"zone\":\"eu-1\"");
    NodeStatus five = (NodeStatus) serialization.deserialize(v5.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName() + "#5").get();
    assertEquals(List.of(new ApplicationStatus("counter", StartType.PERMANENT, ApplicationState.RUNNING, null)), five.applications());
  }

  @Test
  void releaseStatusesAndStartTypesKeepTheirTextAndAnUnknownStatusReadsAsUnknown() {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    ReleaseId v1 = new ReleaseId("counter", "1.0.0");
    List<ReleaseEntry> releases = List.of(new ReleaseEntry(v1, ReleaseStatus.OLD, "a"),
        new ReleaseEntry(new ReleaseId("counter", "2.0.0"), ReleaseStatus.PERMANENT, "b"),
        new ReleaseEntry(new ReleaseId("counter", "3.0.0"), ReleaseStatus.CURRENT, "c"),
        new ReleaseEntry(new ReleaseId("counter", "4.0.0"), ReleaseStatus.UNPACKED, "d"));
    NodeStatus status = new NodeStatus("n1", v1, v1, releases, false, 3, 0, 0, 0, true, 0, null,
        List.of(new ApplicationStatus("audit", StartType.TEMPORARY, ApplicationState.RUNNING, null)));
    var serializer = serialization.findSerializerFor(status);
    String manifest = Serializers.manifestFor(serializer, status);
    String wire = new String(serialization.serialize(status).get(), StandardCharsets.UTF_8);
    for (String text : List.of("\"status\":\"old\"", "\"status\":\"permanent\"", "\"status\":\"current\"",
        "\"status\":\"unpacked\"", "\"startType\":\"temporary\"")) {
      assertTrue(wire.contains(text), text + " in " + wire);
    }
    assertEquals(status, serialization.deserialize(wire.getBytes(StandardCharsets.UTF_8), serializer.identifier(), manifest).get());

    // What an agent that kept the status as a String sent (here of version 1): the same text.
    String older = "{\"node\":\"n1\",\"running\":{\"name\":\"counter\",\"version\":\"1.0.0\"},\"permanent\":null,"
        + "\"releases\":[{\"release\":{\"name\":\"counter\",\"version\":\"1.0.0\"},\"status\":\"permanent\",\"sha256\":\"a\"}],"
        + "\"installing\":false,\"actors\":3,\"rejectedMessages\":0,\"stashOverflows\":0,\"failedMigrations\":0}";
    NodeStatus read = (NodeStatus) serialization.deserialize(older.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        NodeStatus.class.getName()).get();
    assertEquals(List.of(new ReleaseEntry(v1, ReleaseStatus.PERMANENT, "a")), read.releases());

    // A status a newer node might send: that release reads as unknown, the rest of the node's status as sent.
    String newer = wire.replace("\"status\":\"current\"", "\"status\":\"staged\"");
    NodeStatus unknown = (NodeStatus) serialization.deserialize(newer.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        manifest).get();
    assertEquals(List.of(ReleaseStatus.OLD, ReleaseStatus.PERMANENT, ReleaseStatus.UNKNOWN, ReleaseStatus.UNPACKED),
        unknown.releases().stream().map(ReleaseEntry::status).toList());
    assertEquals(3, unknown.actors());
    assertEquals(status.applications(), unknown.applications());
  }

  @Test
  void applySchemaFloorOfProtocolFourCrossesTheWire() {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    var acks = kit.<Ack>createTestProbe();
    var request = new ApplySchemaFloor(new ReleaseId("ledger", "1.0.0"), acks.getRef());
    var serializer = serialization.findSerializerFor(request);
    byte[] bytes = serialization.serialize(request).get();
    assertEquals(request, serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, request))
        .get());
    var ack = new Ack("n1", false, "n1 cannot apply schema floor ledger-1.0.0: release ledger-1.0.0 is not in this node's store");
    assertEquals(ack, serialization.deserialize(serialization.serialize(ack).get(), serializer.identifier(),
        Serializers.manifestFor(serializer, ack)).get());
  }

  private static String withFields(String json, String fields) {
    return json.substring(0, json.length() - 1) + "," + fields + "}";
  }
}
