package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import akka.serialization.jackson.JacksonJsonSerializer;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.Map;
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
    var caller = new OrchestratorProtocol.Caller("otto", "127.0.0.1:25521", "ab".repeat(32));
    var asked = new OrchestratorProtocol.StartRollout(new TargetRequest("2.0.0", null),
        new RolloutOptions(null, false, 0, null, true), null, caller, probe.getRef());
    assertEquals(asked, roundTrip(asked));
    var control = new OrchestratorProtocol.Control("r-1", ControlAction.PAUSE, "key-2", caller, probe.getRef());
    assertEquals(control, roundTrip(control));
    var check = new OrchestratorProtocol.CheckCredentials("127.0.0.1:25521", "cd".repeat(32), probe.getRef());
    assertEquals(check, roundTrip(check));
  }

  @Test
  void aRolloutKeepsWhoAskedAndAnOlderRecordReadsWithNobody() throws Exception {
    RolloutSpec spec = new RolloutSpec(new ReleaseId("game", "2.0.0"), "1", false, 0, InstallMode.BARRIER, true);
    Rollout rollout = new Rollout("r-1", spec, RolloutPhase.ROLLING, List.of(List.of("a")), 0, Map.of(), Map.of(), null, 1, 0,
        Map.of()).withRequested(RequestedAction.START, "otto").withRequested(RequestedAction.PAUSE, "ada");
    var store = dev.molt.node.envelope.Envelopes.get(kit.system()).mapper();
    Rollout read = store.readValue(store.writeValueAsString(rollout), Rollout.class);
    assertEquals(List.of("start by otto", "pause by ada"), read.requested().stream().map(r -> r.action() + " by " + r.user()).toList());
    assertEquals(rollout, read);
    String older = store.writeValueAsString(rollout).replaceAll(",\\s*\"requested\":\\[[^\\]]*\\]", "");
    assertTrue(!older.contains("requested"), older);
    assertEquals(List.of(), store.readValue(older, Rollout.class).requested(), "a record written before: nobody recorded");
  }

  @Test
  void aSpecStillReadsAsItIsStored() {
    // Rollouts in Distributed Data hold the spec: its options view must not become a JSON field.
    RolloutSpec spec = new RolloutOptions("2", false, 0, InstallMode.BARRIER, true).spec(new ReleaseId("game", "2.0.0"));
    assertEquals(spec, roundTrip(spec));
    assertEquals(spec.options(), new RolloutOptions("2", false, 0, InstallMode.BARRIER, true));
  }

  @Test
  void closedSetsKeepTheTextTheyHadAsStrings() {
    // Older nodes in a mixed cluster read and write these fields as the same text.
    TestProbe<InstallResult> results = kit.createTestProbe();
    var install = new InstallRequest(new ReleaseId("game", "2.0.0"), InstallMode.PIPELINED, results.getRef());
    assertTrue(wire(install).contains("\"mode\":\"pipelined\""), wire(install));
    assertEquals(install, roundTrip(install));
    var olderInstall = wire(install).replace("\"mode\":\"pipelined\"", "\"mode\":null");
    assertEquals(InstallMode.BARRIER, ((InstallRequest) read(olderInstall, install)).mode(), "no mode: barrier, as before");

    RolloutSpec spec = new RolloutSpec(new ReleaseId("game", "2.0.0"), "1", false, 0, InstallMode.PIPELINED, true);
    assertTrue(wire(spec).contains("\"mode\":\"pipelined\""), wire(spec));

    NodeOutcome outcome = new NodeOutcome("a", NodeOutcome.Action.INSTALL, NodeOutcome.Status.INSTALLED,
        new ReleaseId("game", "1.0.0"), new ReleaseId("game", "2.0.0"), 5, 3, 10, 9, null)
        .rolledBack(NodeOutcome.Status.NOT_ROLLED_BACK, "unreachable");
    String text = wire(outcome);
    assertTrue(text.contains("\"step\":\"rollback\""), text);
    assertTrue(text.contains("\"status\":\"not-rolled-back\""), text);
    assertEquals(outcome, roundTrip(outcome));
    assertEquals(NodeOutcome.Status.ROLLBACK_FAILED,
        ((NodeOutcome) read(text.replace("not-rolled-back", "rollback-failed"), outcome)).status());
  }

  @Test
  void requestedActionsKeepTheirStoredTextAndAnOlderRecordAnswersItsRequestIds() throws Exception {
    var store = dev.molt.node.envelope.Envelopes.get(kit.system()).mapper();
    RolloutSpec spec = new RolloutSpec(new ReleaseId("game", "2.0.0"), "1", false, 0, InstallMode.BARRIER, true);
    Rollout rollout = new Rollout("r-1", spec, RolloutPhase.PAUSED, List.of(List.of("a")), 0, Map.of(), Map.of(), null, 1, 0,
        Map.of()).withRequested(RequestedAction.START, "otto").withRequested(RequestedAction.ROLLBACK, "ada")
        .withRequest("k1", new Rollout.RequestRecord(RequestedAction.START, 202, null, null));
    String stored = store.writeValueAsString(rollout);
    assertTrue(stored.contains("\"requested\":[{\"action\":\"start\",\"user\":\"otto\""), stored);
    assertTrue(stored.contains("{\"action\":\"rollback\",\"user\":\"ada\""), stored);
    assertTrue(stored.contains("\"k1\":{\"action\":\"start\",\"status\":202"), stored);
    assertEquals(rollout, read(wire(rollout), rollout), "the same through the cluster's serializer");

    // What a singleton that kept the action as a String wrote: the same text, read as the enum.
    String older = stored.replace("\"requests\":{", "\"requests\":{\"k2\":{\"action\":\"promote\",\"status\":409,"
        + "\"error\":\"wrong phase\",\"detail\":\"rollout r-1 is paused\"},");
    Rollout read = store.readValue(older, Rollout.class);
    assertEquals(new Rollout.RequestRecord(RequestedAction.PROMOTE, 409, "wrong phase", "rollout r-1 is paused"),
        read.requests().get("k2"));
    assertEquals(new OrchestratorProtocol.Accepted("r-1"), RequestIds.startedBy(List.of(read), "k1").orElseThrow());
    assertEquals(new OrchestratorProtocol.Problem(409, "wrong phase", "rollout r-1 is paused"),
        RequestIds.repeat(read, "k2", RequestedAction.PROMOTE).orElseThrow());
    assertEquals(new OrchestratorProtocol.Problem(422, "request id reused", "Idempotency-Key 'k2' was used for 'promote', "
        + "not 'abort'; use a new key for a new request"), RequestIds.repeat(read, "k2", RequestedAction.ABORT).orElseThrow());
    assertEquals(RequestedAction.PAUSE, RequestedAction.of(ControlAction.PAUSE));

    // A text this version does not know is refused, naming it, as an unknown phase in the same record is.
    var refused = assertThrows(com.fasterxml.jackson.databind.exc.InvalidFormatException.class,
        () -> store.readValue(stored.replace("\"action\":\"rollback\"", "\"action\":\"snooze\""), Rollout.class));
    assertTrue(refused.getMessage().contains("RequestedAction` from String \"snooze\""), refused.getMessage());
  }

  private static Object roundTrip(Object message) {
    return read(wire(message), message);
  }

  private static String wire(Object message) {
    byte[] bytes = serialization().serialize(message).get();
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code json} read back as {@code like}'s class is, through the serializer the cluster binds. */
  private static Object read(String json, Object like) {
    Serialization serialization = serialization();
    var serializer = serialization.findSerializerFor(like);
    assertInstanceOf(JacksonJsonSerializer.class, serializer, "bound as every MoltSerializable is");
    String manifest = Serializers.manifestFor(serializer, like);
    return serialization.deserialize(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), serializer.identifier(),
        manifest).get();
  }

  private static Serialization serialization() {
    return SerializationExtension.get(Adapter.toClassic(kit.system()));
  }
}
