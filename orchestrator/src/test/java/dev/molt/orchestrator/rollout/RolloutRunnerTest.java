package dev.molt.orchestrator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Command;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import dev.molt.orchestrator.rollout.RunnerProtocol.Finished;
import dev.molt.orchestrator.rollout.RunnerProtocol.Msg;
import dev.molt.orchestrator.rollout.RunnerProtocol.Progress;
import dev.molt.orchestrator.rollout.RunnerProtocol.RunControl;
import dev.molt.protocol.control.AgentRequest;
import dev.molt.protocol.control.ControlMessages.Ack;
import dev.molt.protocol.control.ControlMessages.ApplySchemaFloor;
import dev.molt.protocol.control.ControlMessages.InstallRequest;
import dev.molt.protocol.control.ControlMessages.InstallResult;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.control.ControlMessages.PermanentRequest;
import dev.molt.protocol.control.ControlMessages.StatusRequest;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The rollout state machine ({@link RolloutRunner}, {@link RollingBack}) with fake node agents
 * (test probes answering installs, statuses and make-permanent requests): batches, canary pause
 * and promote, a failed health gate rolling back, a rollback asked mid-batch, a node removed
 * mid-step, a rollout recovered by a new singleton. No cluster, no JVM started.
 */
class RolloutRunnerTest {
  static final ReleaseId V1 = new ReleaseId("counter", "1.0.0");
  static final ReleaseId V2 = new ReleaseId("counter", "2.0.0");
  static final OrchestratorSettings SETTINGS = new OrchestratorSettings(false, Duration.ofSeconds(3), Duration.ofSeconds(3),
      Duration.ofSeconds(3), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), Duration.ofSeconds(1), 1, 10);
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** One fake node agent per name, the shell, and the runner under test. */
  static final class Fixture {
    final Map<String, TestProbe<AgentRequest>> nodes = new LinkedHashMap<>();
    final TestProbe<Command> shell = testKit.createTestProbe();
    final TestProbe<Reply> client = testKit.createTestProbe();
    final TestProbe<SchemaFloorWriter.Message> floorWriter = testKit.createTestProbe();
    final ActorRef<Msg> runner;

    /** Every node confirms the schema floor before the first batch, as in a healthy cluster. */
    Fixture(RolloutSpec spec, List<List<String>> batches) {
      this(spec, batches, RolloutPhase.DISTRIBUTING, new RunnerProtocol.Fresh(batches.get(0).get(0), List.of(), Map.of()), r -> r);
      writeFloor(V1);
      nodes.keySet().forEach(n -> confirmFloor(n, V1));
    }

    /** The runner starts {@code start} with the rollout in {@code phase}, {@code shaped}; nothing answered yet. */
    Fixture(RolloutSpec spec, List<List<String>> batches, RolloutPhase phase, RunnerProtocol.Start start,
        java.util.function.UnaryOperator<Rollout> shaped) {
      Map<String, ActorRef<AgentRequest>> agents = new TreeMap<>();
      Map<String, ReleaseId> previous = new TreeMap<>();
      Map<String, NodeStatus> baseline = new TreeMap<>();
      batches.forEach(b -> b.forEach(n -> {
        nodes.put(n, testKit.createTestProbe());
        agents.put(n, nodes.get(n).getRef());
        previous.put(n, V1);
        baseline.put(n, status(n, V1, true));
      }));
      Rollout rollout = shaped.apply(new Rollout("r-1", spec, phase, batches, 0, previous, Map.of(), null, 0, 0, Map.of()));
      if (start instanceof RunnerProtocol.Fresh fresh) {
        start = new RunnerProtocol.Fresh(fresh.holder(), fresh.receivers(), baseline);
      }
      runner = testKit.spawn(RolloutRunner.create(rollout, start, agents, Set.of(), shell.getRef(), floorWriter.getRef(),
          SETTINGS));
    }

    /** The runner has the floor written to a majority (Distributed Data, faked): {@code floor} it must be. */
    void writeFloor(ReleaseId floor) {
      SchemaFloorWriter.Ensure ensure = floorWriter.expectMessageClass(SchemaFloorWriter.Ensure.class);
      assertEquals(floor, ensure.floor());
      ensure.replyTo().tell(new SchemaFloorWriter.Ensured(floor, null));
    }

    /** The node is asked to apply {@code floor}; the request, unanswered. */
    ApplySchemaFloor floorRequest(String node, ReleaseId floor) {
      ApplySchemaFloor request = nodes.get(node).expectMessageClass(ApplySchemaFloor.class);
      assertEquals(floor, request.floor());
      return request;
    }

    void confirmFloor(String node, ReleaseId floor) {
      floorRequest(node, floor).replyTo().tell(new Ack(node, true, null));
    }

    /** The node installs {@code to} and answers ok (or refuses, reverted). */
    void install(String node, ReleaseId to, boolean ok) {
      InstallRequest request = nodes.get(node).expectMessageClass(InstallRequest.class);
      assertEquals(to, request.release());
      request.replyTo().tell(ok ? new InstallResult(node, to, true, null, null, null, false, 5, 3, 10, 9)
          : new InstallResult(node, to, false, "migrate", "counter-1", "refused", true, 0, 0, 0, 0));
    }

    InstallRequest installRequest(String node) {
      return nodes.get(node).expectMessageClass(InstallRequest.class);
    }

    void reportStatus(String node, ReleaseId running, boolean ready) {
      nodes.get(node).expectMessageClass(StatusRequest.class).replyTo().tell(RolloutRunnerTest.status(node, running, ready));
    }

    void permanent(String node, ReleaseId release) {
      PermanentRequest request = nodes.get(node).expectMessageClass(PermanentRequest.class);
      assertEquals(release, request.release());
      request.replyTo().tell(new Ack(node, true, null));
    }

    /** The rollout the shell is told next in {@code phase}. */
    Rollout awaitPhase(RolloutPhase phase) {
      Command found = shell.fishForMessage(Duration.ofSeconds(3), "rollout " + phase, m -> {
        Rollout r = m instanceof Progress p ? p.rollout() : ((Finished) m).rollout();
        return r.phase() == phase ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore();
      }).get(0);
      return found instanceof Progress p ? p.rollout() : ((Finished) found).rollout();
    }

    /** Waits until the shell is told the rollout moved on to batch {@code batch} (the gate before it passed). */
    void awaitBatch(int batch) {
      shell.fishForMessage(Duration.ofSeconds(3), "batch " + batch, m -> m instanceof Progress p
          && p.rollout().batch() == batch ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    }

    /** {@code last} installs the target and passes its gate, every node makes it permanent: the rollout completes. */
    Rollout completesAfter(String last) {
      install(last, V2, true);
      reportStatus(last, V2, true);
      nodes.keySet().forEach(n -> permanent(n, V2));
      Rollout done = finished();
      assertEquals(RolloutPhase.COMPLETED, done.phase());
      return done;
    }

    Rollout finished() {
      Command found = shell.fishForMessage(Duration.ofSeconds(3), "finished",
          m -> m instanceof Finished ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
      return ((Finished) found).rollout();
    }

    Reply control(ControlAction action) {
      runner.tell(new RunControl(action, null, "ops", client.getRef()));
      return client.receiveMessage();
    }
  }

  static NodeStatus status(String node, ReleaseId running, boolean ready) {
    return new NodeStatus(node, running, V1, List.of(), false, 3, 0, 0, 0, ready, 0, null);
  }

  static RolloutSpec spec(boolean canary, boolean autoRollback) {
    return new RolloutSpec(V2, "1", canary, 0, InstallMode.BARRIER, autoRollback);
  }

  @Test
  void batchesInstallOneAfterTheOtherEachGatedThenTheReleaseIsMadePermanent() {
    Fixture f = new Fixture(spec(false, true), List.of(List.of("a"), List.of("b")));
    f.install("a", V2, true);
    f.reportStatus("a", V2, true);
    Rollout done = f.completesAfter("b");
    assertEquals(List.of("a", "b"), done.upgraded());
    assertEquals(3, done.nodes().get("b").actors());
  }

  @Test
  void aCanaryPausesAfterTheFirstBatchUntilPromoted() {
    Fixture f = new Fixture(spec(true, true), List.of(List.of("a"), List.of("b")));
    f.install("a", V2, true);
    f.reportStatus("a", V2, true);
    assertEquals(1, f.awaitPhase(RolloutPhase.PAUSED).batch());
    f.nodes.get("b").expectNoMessage(Duration.ofMillis(100));
    Problem wrong = (Problem) f.control(ControlAction.PAUSE);
    assertEquals(409, wrong.status());
    assertEquals("rollout r-1 is paused; 'pause' does not apply", wrong.detail());
    assertEquals(RolloutPhase.ROLLING, ((RolloutView) f.control(ControlAction.PROMOTE)).rollout().phase());
    f.completesAfter("b");
  }

  @Test
  void aPauseOrRollbackBetweenBatchesAppliesAtOnceWithNoFurtherBatchInstalled() {
    RolloutSpec waits = new RolloutSpec(V2, "1", false, 60_000, InstallMode.BARRIER, true);
    Fixture f = new Fixture(waits, List.of(List.of("a"), List.of("b")));
    f.install("a", V2, true);
    f.reportStatus("a", V2, true);
    f.awaitBatch(1);
    RolloutView paused = (RolloutView) f.control(ControlAction.PAUSE);
    assertEquals(RolloutPhase.PAUSED, paused.rollout().phase(), "no batch runs, so the pause is at once");
    f.nodes.get("b").expectNoMessage(Duration.ofMillis(200));
    assertEquals(RolloutPhase.ROLLING, ((RolloutView) f.control(ControlAction.RESUME)).rollout().phase());
    Rollout completed = f.completesAfter("b");
    assertEquals(List.of("pause by ops", "resume by ops"), completed.requested().stream()
        .map(r -> r.action() + " by " + r.user()).toList(), "the record names who paused and resumed it");

    Fixture g = new Fixture(waits, List.of(List.of("a"), List.of("b")));
    g.install("a", V2, true);
    g.reportStatus("a", V2, true);
    g.awaitBatch(1);
    assertEquals(RolloutPhase.ROLLING_BACK, ((RolloutView) g.control(ControlAction.ROLLBACK)).rollout().phase());
    g.reportStatus("a", V2, true);
    g.install("a", V1, true);
    g.permanent("a", V1);
    Rollout back = g.finished();
    assertEquals(RolloutPhase.ROLLED_BACK, back.phase());
    assertEquals("rolled back by request", back.error());
    g.nodes.get("b").expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aPauseAskedWhileTheFloorIsConfirmedAppliesBeforeTheLastBatchInstalls() {
    Fixture f = new Fixture(spec(false, true), List.of(List.of("a", "b")), RolloutPhase.DISTRIBUTING,
        new RunnerProtocol.Fresh("a", List.of(), Map.of()), r -> r);
    f.writeFloor(V1);
    ApplySchemaFloor a = f.floorRequest("a", V1);
    ApplySchemaFloor b = f.floorRequest("b", V1);
    assertEquals(RolloutPhase.ROLLING, ((RolloutView) f.control(ControlAction.PAUSE)).rollout().phase());
    a.replyTo().tell(new Ack("a", true, null));
    b.replyTo().tell(new Ack("b", true, null));
    assertEquals(0, f.awaitPhase(RolloutPhase.PAUSED).batch(), "paused before its only batch installed");
    f.nodes.values().forEach(n -> n.expectNoMessage(Duration.ofMillis(200)));
    f.control(ControlAction.RESUME);
    f.install("a", V2, true);
    f.install("b", V2, true);
    f.reportStatus("a", V2, true);
    f.reportStatus("b", V2, true);
    PermanentRequest permanent = f.nodes.get("a").expectMessageClass(PermanentRequest.class);
    Problem late = (Problem) f.control(ControlAction.ROLLBACK);
    assertEquals(409, late.status(), "every node runs the target: a rollback cannot be accepted and then dropped");
    assertEquals("rollout r-1 is rolling; 'rollback' does not apply", late.detail());
    permanent.replyTo().tell(new Ack("a", true, null));
    f.permanent("b", V2);
    assertEquals(RolloutPhase.COMPLETED, f.finished().phase());
  }

  @Test
  void aFailedHealthGateRollsTheBatchBack() {
    Fixture f = new Fixture(spec(false, true), List.of(List.of("a"), List.of("b")));
    f.install("a", V2, true);
    f.reportStatus("a", V2, false);
    assertEquals(RolloutPhase.ROLLING_BACK, f.awaitPhase(RolloutPhase.ROLLING_BACK).phase());
    f.reportStatus("a", V2, true); // its settled status, before the downgrade
    f.install("a", V1, true);
    f.permanent("a", V1);
    Rollout done = f.finished();
    assertEquals(RolloutPhase.ROLLED_BACK, done.phase());
    assertEquals("health gate after batch 1/2: a is not ready", done.error());
    assertEquals(NodeOutcome.Status.ROLLED_BACK, done.nodes().get("a").status());
    f.nodes.get("b").expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aRollbackAskedMidBatchWaitsForTheBatchThenTakesItsNodesBackLastFirst() {
    Fixture f = new Fixture(spec(false, true), List.of(List.of("a", "b")));
    InstallRequest a = f.installRequest("a");
    InstallRequest b = f.installRequest("b");
    RolloutView view = (RolloutView) f.control(ControlAction.ROLLBACK);
    assertEquals(RolloutPhase.ROLLING, view.rollout().phase(), "the batch in flight finishes first");
    a.replyTo().tell(new InstallResult("a", V2, true, null, null, null, false, 5, 3, 10, 9));
    b.replyTo().tell(new InstallResult("b", V2, true, null, null, null, false, 5, 3, 10, 9));
    f.reportStatus("b", V2, true);
    f.install("b", V1, true);
    f.reportStatus("a", V2, true);
    f.install("a", V1, true);
    f.permanent("a", V1);
    f.permanent("b", V1);
    Rollout done = f.finished();
    assertEquals(RolloutPhase.ROLLED_BACK, done.phase());
    assertEquals("rolled back by request", done.error());
    assertEquals(NodeOutcome.Status.ROLLED_BACK, done.nodes().get("a").status());
    assertEquals(NodeOutcome.Status.ROLLED_BACK, done.nodes().get("b").status());
  }

  @Test
  void aNodeRemovedMidInstallFailsItsStepAndTheRolloutPausesWithoutAutoRollback() {
    Fixture f = new Fixture(spec(false, false), List.of(List.of("a", "b"), List.of("c")));
    f.install("a", V2, true);
    f.installRequest("b");
    f.runner.tell(new MembershipEvent.Gone("b", "removed from the cluster"));
    Rollout paused = f.awaitPhase(RolloutPhase.PAUSED);
    assertEquals("install on b failed: node b was removed from the cluster (cluster membership) during its install",
        paused.error());
    assertEquals(NodeOutcome.Status.UNKNOWN, paused.nodes().get("b").status());
    assertEquals(NodeOutcome.Status.INSTALLED, paused.nodes().get("a").status());
    f.nodes.get("c").expectNoMessage(Duration.ofMillis(100));
    assertEquals(RolloutPhase.ABORTED, ((RolloutView) f.control(ControlAction.ABORT)).rollout().phase());
    assertEquals(RolloutPhase.ABORTED, f.finished().phase());
  }

  @Test
  void aNodeRemovedMidInstallWithAutoRollbackRollsBackTheOthersAndNamesIt() {
    Fixture f = new Fixture(spec(false, true), List.of(List.of("a", "b")));
    f.install("a", V2, true);
    f.installRequest("b");
    f.runner.tell(new MembershipEvent.Gone("b", "downed"));
    f.reportStatus("a", V2, true);
    f.install("a", V1, true);
    f.permanent("a", V1);
    Rollout done = f.finished();
    assertEquals(RolloutPhase.ROLLED_BACK, done.phase());
    assertEquals(NodeOutcome.Status.NOT_ROLLED_BACK, done.nodes().get("b").status());
    assertEquals("it was removed from the cluster (cluster membership)", done.nodes().get("b").error());
    assertEquals(NodeOutcome.Status.ROLLED_BACK, done.nodes().get("a").status());
  }

  @Test
  void aFailedInstallWithoutAutoRollbackHaltsTheRollout() {
    Fixture f = new Fixture(spec(false, false), List.of(List.of("a"), List.of("b")));
    f.install("a", V2, false);
    Rollout failed = f.finished();
    assertEquals(RolloutPhase.FAILED, failed.phase());
    assertEquals("install on a failed: step 'migrate' actor counter-1: refused (node reverted to " + V1 + ")", failed.error());
    f.nodes.get("b").expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void noNodeInstallsBeforeEveryNodeAppliedTheSchemaFloor() {
    Fixture f = new Fixture(spec(true, true), List.of(List.of("a"), List.of("b"), List.of("c")), RolloutPhase.DISTRIBUTING,
        new RunnerProtocol.Fresh("a", List.of(), Map.of()), r -> r);
    f.nodes.values().forEach(n -> n.expectNoMessage(Duration.ofMillis(100)));
    f.writeFloor(V1); // only once a majority has it are the nodes asked (their majority read must see it)
    f.confirmFloor("a", V1);
    f.confirmFloor("b", V1);
    ApplySchemaFloor late = f.floorRequest("c", V1);
    f.nodes.get("a").expectNoMessage(Duration.ofMillis(300)); // c has not answered: the canary must not run 2.0.0 yet
    late.replyTo().tell(new Ack("c", true, null));
    f.install("a", V2, true);
    f.reportStatus("a", V2, true);
    assertEquals(1, f.awaitPhase(RolloutPhase.PAUSED).batch());
    assertEquals(RolloutPhase.ROLLING, ((RolloutView) f.control(ControlAction.PROMOTE)).rollout().phase());
    f.install("b", V2, true); // the floor is the same and every node confirmed it: not asked again
  }

  @Test
  void aNodeThatCannotApplyTheFloorFailsTheRolloutNamingItAndNothingIsInstalled() {
    Fixture f = new Fixture(spec(false, false), List.of(List.of("a"), List.of("b")), RolloutPhase.DISTRIBUTING,
        new RunnerProtocol.Fresh("a", List.of(), Map.of()), r -> r);
    f.writeFloor(V1);
    f.confirmFloor("a", V1);
    f.floorRequest("b", V1).replyTo().tell(new Ack("b", false, "b cannot apply schema floor counter-1.0.0: release "
        + "counter-1.0.0 is not in this node's store: a schema floor must be a release the node has"));
    Rollout failed = f.finished();
    assertEquals(RolloutPhase.FAILED, failed.phase());
    assertEquals("schema floor counter-1.0.0 not confirmed on [b]: b cannot apply schema floor counter-1.0.0: release "
        + "counter-1.0.0 is not in this node's store: a schema floor must be a release the node has", failed.error());
    f.nodes.values().forEach(n -> n.expectNoMessage(Duration.ofMillis(100)));
  }

  @Test
  void anUnreachableNodeFailsTheFloorStepAfterTheUnreachableWaitAndALeftNodeNeedsNoFloor() {
    Fixture f = new Fixture(spec(false, false), List.of(List.of("a"), List.of("b"), List.of("c")), RolloutPhase.DISTRIBUTING,
        new RunnerProtocol.Fresh("a", List.of(), Map.of()), r -> r);
    f.writeFloor(V1);
    f.confirmFloor("a", V1);
    f.floorRequest("b", V1);
    f.floorRequest("c", V1);
    f.runner.tell(new MembershipEvent.Gone("c", "downed"));
    f.runner.tell(new MembershipEvent.Unreachable("b"));
    f.runner.tell(new MembershipEvent.WaitExpired("b"));
    Rollout failed = f.finished();
    assertEquals("schema floor counter-1.0.0 not confirmed on [b]: node b stayed unreachable (cluster membership) for more "
        + "than 3 s (molt.orchestrator.unreachable-wait) during its schema floor confirmation", failed.error());
    f.nodes.values().forEach(n -> n.expectNoMessage(Duration.ofMillis(100)));
  }

  @Test
  void aRecoveredRolloutContinuesWhereTheNodesAreAndAnswersAControlAskedMeanwhile() {
    Fixture f = new Fixture(spec(false, true), List.of(List.of("a"), List.of("b")), RolloutPhase.ROLLING,
        new RunnerProtocol.Recovered(), r -> r);
    f.runner.tell(new RunControl(ControlAction.PAUSE, null, "ops", f.client.getRef()));
    f.reportStatus("a", V2, true); // the old singleton installed it and died before saving that
    f.client.expectNoMessage(Duration.ofMillis(100)); // stashed until the nodes said where they are
    f.reportStatus("b", V1, true);
    assertEquals(RolloutPhase.ROLLING, ((RolloutView) f.client.receiveMessage()).rollout().phase());
    f.writeFloor(V1);
    f.confirmFloor("a", V1);
    f.confirmFloor("b", V1);
    Rollout paused = f.awaitPhase(RolloutPhase.PAUSED);
    assertEquals(1, paused.batch(), "batch 1/2 is done: a runs the target");
    assertEquals(NodeOutcome.Status.INSTALLED, paused.nodes().get("a").status(), "a's unsaved install is recorded");
    f.nodes.get("a").expectNoMessage(Duration.ofMillis(100));
    f.control(ControlAction.RESUME);
    Rollout done = f.completesAfter("b");
    assertEquals(List.of("a", "b"), done.upgraded());
  }

  @Test
  void aRollbackHasTheFloorConfirmedBeforeItsFirstNodeGoesBackAndHaltsWhenANodeDoesNot() {
    Rollout done = rollbackOfA(true);
    assertEquals(RolloutPhase.ROLLED_BACK, done.phase());
    Rollout halted = rollbackOfA(false);
    assertEquals(RolloutPhase.FAILED, halted.phase());
    assertEquals("rollback halted: schema floor counter-1.0.0 not confirmed on [b]: b refused", halted.error());
    assertEquals(NodeOutcome.Status.INSTALLED, halted.nodes().get("a").status(), "a was not taken back");
  }

  /** A finished rollout whose node a runs 2.0.0 is rolled back; b confirms the floor or refuses. */
  private static Rollout rollbackOfA(boolean bConfirms) {
    List<List<String>> batches = List.of(List.of("a"), List.of("b"));
    Fixture f = new Fixture(spec(false, true), batches, RolloutPhase.ROLLING_BACK, new RunnerProtocol.RollBack(),
        r -> r.withBatch(1).withNode(new NodeOutcome("a", NodeOutcome.Action.INSTALL, NodeOutcome.Status.INSTALLED, V1, V2, 5, 3,
            10, 9, null)));
    f.writeFloor(V1);
    f.confirmFloor("a", V1);
    ApplySchemaFloor b = f.floorRequest("b", V1);
    f.nodes.get("a").expectNoMessage(Duration.ofMillis(200));
    b.replyTo().tell(new Ack("b", bConfirms, bConfirms ? null : "b refused"));
    if (bConfirms) {
      f.reportStatus("a", V2, true);
      f.install("a", V1, true);
      f.permanent("a", V1);
    }
    return f.finished();
  }
}
