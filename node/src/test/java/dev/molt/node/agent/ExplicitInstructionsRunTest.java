package dev.molt.node.agent;

import dev.molt.protocol.control.InstallMode;

import static dev.molt.node.testing.MoltTestKit.V1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.host.HostReply;
import dev.molt.node.testing.RawBundles;
import dev.molt.protocol.release.ReleaseId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explicit instructions run as written: hooks where the author put them, resolved in the release
 * that declares them (the newer one, also on a downgrade), an {@code apply} before the
 * point-of-no-return instruction before anything changed, and an update's own timeout bounding its
 * step. The bundles are counter 2.0.0's code ({@code MarkHook} records each hook run) with 1.0.0's
 * supervision tree and the descriptor written here.
 */
class ExplicitInstructionsRunTest {
  private static final ReleaseId HOOKED = new ReleaseId("counter", "2.5.0");
  private static final ReleaseId TIMED = new ReleaseId("counter", "2.6.0");
  private static final String MARK = "molt.hook.counter-2.5.0.mark";
  private static final List<String> KEYS = AgentTestKit.keys(3);

  @TempDir Path dir;
  private AgentTestKit node;

  @AfterEach
  void stop() {
    System.clearProperty("molt.test.hooks");
    System.clearProperty("molt.test.hook-fail");
    if (node != null) {
      node.close();
    }
  }

  @Test
  void downgradeRunsTheNewerReleasesHookAfterThePointOfNoReturn() throws Exception {
    node = nodeOnV1("", bundle("2.5.0", """
        "upFrom": [{"version": "1.0.0", "instructions": [
          {"op": "apply", "hook": "mark"}, {"op": "point-of-no-return"},
          {"op": "update", "behaviour": "counter", "extra": {"label": "hooked"}}, {"op": "apply", "hook": "mark"}]}],
        "downTo": [{"version": "1.0.0", "instructions": [
          {"op": "update", "behaviour": "counter"}, {"op": "apply", "hook": "mark"}]}]"""));

    node.install(HOOKED, InstallMode.BARRIER);
    assertEquals(List.of(MARK, MARK), hooksRun(), "before the point, and after the update, both 2.5.0's");
    for (HostReply.State state : node.states().values()) {
      assertEquals(HOOKED, state.release(), state.actor());
      assertEquals("hooked", state.state().get("label").asText(), state.actor() + " migrated with the author's extra");
    }

    String plan = node.expect(AgentReply.Planned.class, node.ask(r -> new AgentCommand.Plan(V1, r))).text();
    assertTrue(plan.indexOf("apply mark (counter-2.5.0)") > plan.indexOf("resume [counter]")
        && plan.indexOf("resume [counter]") > plan.indexOf("point-of-no-return"), plan);

    // 1.0.0 declares no hook 'mark' and has no MarkHook class: only 2.5.0's can run.
    node.install(V1, InstallMode.BARRIER);
    assertEquals(List.of(MARK, MARK, MARK), hooksRun());
    assertEquals(V1, node.running());
    for (HostReply.State state : node.states().values()) {
      assertEquals(V1, state.release(), state.actor());
      assertEquals(1, AgentTestKit.counted(state), state.actor() + " kept its count");
    }
  }

  @Test
  void aHookFailingBeforeThePointOfNoReturnChangesNothing() throws Exception {
    node = nodeOnV1("", bundle("2.5.0", """
        "upFrom": [{"version": "1.0.0", "instructions": [
          {"op": "apply", "hook": "mark"}, {"op": "point-of-no-return"}, {"op": "update", "behaviour": "counter"}]}]"""));
    System.setProperty("molt.test.hook-fail", "true");

    AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
        node.ask(r -> new AgentCommand.Install(HOOKED, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));
    assertEquals("apply mark (counter-2.5.0)", failed.step());
    assertTrue(failed.reason().startsWith("hook 'mark' of counter-2.5.0 failed: IllegalStateException: "
        + "hook refused: molt.test.hook-fail is set"), failed.reason());
    assertFalse(failed.reverted(), "nothing to revert: the point of no return was not passed");

    assertEquals(V1, node.running());
    assertEquals(V1, node.molt.registry().current("counter").orElseThrow().id());
    for (HostReply.State state : node.states().values()) {
      assertEquals(V1, state.release(), state.actor());
      assertEquals(1, AgentTestKit.counted(state), state.actor());
    }
  }

  @Test
  void anUpdatesOwnTimeoutBoundsItsChangeCodeStep() throws Exception {
    // The migration sleeps 5 s, within a 10 s budget: only the update's 1 s timeout can fail the step
    // (molt.install.step-timeout stays 30 s). No rehearsal, which would run the slow migration first.
    node = nodeOnV1("molt.install.rehearsal-samples = 0\nmolt.host.migration-budget = 10s", bundle("2.6.0", """
        "upFrom": [{"version": "1.0.0", "instructions": [
          {"op": "update", "behaviour": "counter", "timeout": "1s", "extra": {"sleepMillis": 5000}}]}]"""));

    AgentReply.Failed failed = node.expect(AgentReply.Failed.class,
        node.ask(r -> new AgentCommand.Install(TIMED, InstallMode.BARRIER, r), AgentTestKit.INSTALL_WAIT));
    assertEquals("change-code counter v1 -> v2 (up, load-then-migrate, extra {\"sleepMillis\":5000}, timeout 1000 ms)",
        failed.step());
    assertTrue(failed.reason().startsWith("no answer within 1000 ms"), failed.reason());
    assertTrue(failed.reverted(), "the actors changed back once their migration returned");
    assertEquals(V1, node.running());
    for (HostReply.State state : node.states().values()) {
      assertEquals(V1, state.release(), state.actor());
      assertEquals(1, AgentTestKit.counted(state), state.actor());
    }
  }

  /** A node running 1.0.0 with counters, and {@code bundle} unpacked. */
  private static AgentTestKit nodeOnV1(String config, Path bundle) {
    AgentTestKit node = new AgentTestKit(dev.molt.node.testing.MoltTestKit.create(config));
    node.unpack("1.0.0");
    node.expect(AgentReply.Unpacked.class, node.ask(r -> new AgentCommand.Unpack(bundle, r)));
    node.install(V1, InstallMode.BARRIER);
    node.startCounters(KEYS);
    return node;
  }

  /** Counter 2.0.0's code, with 1.0.0's tree, the hook 'mark' and these appup entries, at {@code version}. */
  private Path bundle(String version, String appup) throws Exception {
    String descriptor = """
        {"name": "counter", "version": "%s",
         "behaviours": [{"name": "counter", "version": 2, "entryClass": "dev.molt.testbundle.counter.Counter"}],
         "supervision": {"name": "counters", "strategy": "one-for-one", "intensity": 10, "periodSeconds": 5,
                         "dynamic": {"behaviour": "counter", "restart": "transient"}},
         "hooks": [{"name": "mark", "entryClass": "dev.molt.testbundle.counter.MarkHook"}],
         %s}""".formatted(version, appup);
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : RawBundles.counterEntries("2.0.0")) {
      entries.add(e.getKey().equals("molt-release.json")
          ? Map.entry(e.getKey(), descriptor.getBytes(StandardCharsets.UTF_8)) : e);
    }
    return RawBundles.zip(dir.resolve("counter-" + version + ".molt"), entries);
  }

  private static List<String> hooksRun() {
    String text = System.getProperty("molt.test.hooks", "");
    return text.isEmpty() ? List.of() : List.of(text.split(","));
  }
}
