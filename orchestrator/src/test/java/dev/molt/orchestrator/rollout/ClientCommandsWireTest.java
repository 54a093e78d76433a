package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonJsonSerializer;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The commands a route on any node sends the singleton on another: they cross nodes as JSON
 * (MoltSerializable), so the target as the client named it and the options must survive the wire.
 */
class ClientCommandsWireTest {
  private static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void startRolloutAndPlanForSurviveAkkaSerialization() {
    TestProbe<Reply> probe = kit.createTestProbe();
    var start = new OrchestratorProtocol.StartRollout(new TargetRequest("1.0.0", "game"),
        new RolloutOptions("34%", true, 30_000, InstallMode.PIPELINED, false), "key-1", probe.getRef());
    assertEquals(start, roundTrip(start));
    var bareVersion = new OrchestratorProtocol.StartRollout(new TargetRequest("2.0.0", null),
        new RolloutOptions(null, false, 0, null, true), null, probe.getRef());
    assertEquals(bareVersion, roundTrip(bareVersion));
    var plan = new OrchestratorProtocol.PlanFor(new TargetRequest("game-2.0.0", null), probe.getRef());
    assertEquals(plan, roundTrip(plan));
  }

  @Test
  void aSpecStillReadsAsItIsStored() {
    // Rollouts in Distributed Data hold the spec: its options view must not become a JSON field.
    RolloutSpec spec = new RolloutOptions("2", false, 0, InstallMode.BARRIER, true).spec(new ReleaseId("game", "2.0.0"));
    assertEquals(spec, roundTrip(spec));
    assertEquals(spec.options(), new RolloutOptions("2", false, 0, InstallMode.BARRIER, true));
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    var serializer = serialization.findSerializerFor(message);
    assertInstanceOf(JacksonJsonSerializer.class, serializer, "bound as every MoltSerializable is");
    String manifest = Serializers.manifestFor(serializer, message);
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }
}
