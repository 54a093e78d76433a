package dev.molt.protocol.relup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Orderings as OTP's {@code systools_rc} (lib/sasl/src/systools_rc.erl) and the appup cookbook
 * prescribe; each test names the case.
 */
class RelupCompilerTest {

  private static final String TREE_V1 = """
      "supervision": {"name": "root", "strategy": "one-for-one", "children": [
        {"name": "lobby", "behaviour": "lobby"},
        {"name": "rooms", "supervisor": {"name": "rooms", "dynamic": {"behaviour": "room"}}}]}""";
  private static final String TREE_V3 = """
      "supervision": {"name": "root", "strategy": "one-for-one", "children": [
        {"name": "lobby", "behaviour": "lobby"},
        {"name": "rooms", "supervisor": {"name": "rooms", "dynamic": {"behaviour": "room"}}},
        {"name": "leaderboard", "behaviour": "board"}]}""";

  static final ReleaseDescriptor GAME_1 = descriptor("""
      {"name": "game", "version": "1.0.0",
       "behaviours": [{"name": "lobby", "version": 1, "entryClass": "g.Lobby"},
                      {"name": "room", "version": 1, "entryClass": "g.Room"}],
       %s}""".formatted(TREE_V1));
  static final ReleaseDescriptor GAME_2 = descriptor("""
      {"name": "game", "version": "2.0.0",
       "behaviours": [{"name": "lobby", "version": 1, "entryClass": "g.Lobby"},
                      {"name": "room", "version": 2, "entryClass": "g.Room"}],
       %s}""".formatted(TREE_V1));
  static final ReleaseDescriptor GAME_3 = descriptor("""
      {"name": "game", "version": "3.0.0",
       "behaviours": [{"name": "lobby", "version": 1, "entryClass": "g.Lobby"},
                      {"name": "room", "version": 3, "entryClass": "g.Room"},
                      {"name": "board", "version": 1, "entryClass": "g.Board"}],
       %s}""".formatted(TREE_V3));

  @Test
  void changedBehaviourUpgradeLoadsThenMigratesInsideSuspendResume() throws Exception {
    // systools_rc translate_dep_to_low, Mode == up: [{suspend,Mods}] ++ load ++ [{code_change,up,..}] ++ [{resume,..}],
    // with load_object_code before point_of_no_return. A soft update (lobby, same version) still moves its actors.
    RelupScript up = RelupCompiler.compile(GAME_1, GAME_2, List.of()).hops().get(0);
    assertEquals("""
        up game-1.0.0 -> game-2.0.0 (generated from the descriptors)
           1. load game-2.0.0
           2. verify room v1 <-> v2
           3. warm game-2.0.0
           4. point-of-no-return
           5. make-current game-2.0.0
           6. suspend [lobby]
           7. change-code lobby v1 -> v1 (up, load-only)
           8. resume [lobby]
           9. suspend [room]
          10. change-code room v1 -> v2 (up, load-then-migrate)
          11. resume [room]
        """, up.render());
  }

  @Test
  void changedBehaviourDowngradeMigratesBeforeLoadingTheOlderCode() throws Exception {
    // systools_rc translate_dep_to_low, Mode == dn: dynamic modules get {code_change, down, ..} *before* the load
    // of the old code (PreCodeChangeMods), all inside suspend/resume.
    RelupScript down = RelupCompiler.compile(GAME_2, GAME_1, List.of()).hops().get(0);
    assertEquals(Direction.DOWN, down.direction());
    assertEquals(new Step.ChangeCode("room", 2, 1, Direction.DOWN, new ObjectMapper().createObjectNode(), LoadOrder.MIGRATE_THEN_LOAD),
        down.steps().get(9));
    assertEquals(List.of("load", "verify", "warm"), ops(down.prepare()));
  }

  @Test
  void dependentBehavioursShareOneBlockSuspendedInDependencyOrderResumedInReverse() {
    // systools_rc: instructions in one weak component of the DepMods graph form one block; "Processes are suspended
    // in the order of dependency", "resumed in the reversed order of dependency", and on upgrade "modules are loaded
    // in the reversed order of dependency"; on downgrade "in the order of dependency".
    ReleaseDescriptor v1 = descriptor("""
        {"name": "app", "version": "1.0.0", "behaviours": [
          {"name": "a", "version": 1, "entryClass": "x.A"}, {"name": "b", "version": 1, "entryClass": "x.B"},
          {"name": "c", "version": 1, "entryClass": "x.C"}]}""");
    ReleaseDescriptor v2 = descriptor("""
        {"name": "app", "version": "2.0.0", "behaviours": [
          {"name": "a", "version": 2, "entryClass": "x.A"}, {"name": "b", "version": 2, "entryClass": "x.B"},
          {"name": "c", "version": 2, "entryClass": "x.C"}],
         "upFrom": [{"version": "1.0.0", "instructions": [
           {"op": "update", "behaviour": "b", "dependsOn": ["a"]},
           {"op": "update", "behaviour": "c"},
           {"op": "update", "behaviour": "a", "change": "advanced", "extra": {"k": 1}}]}],
         "downTo": [{"version": "1.0.0", "instructions": [
           {"op": "update", "behaviour": "b", "dependsOn": ["a"]},
           {"op": "update", "behaviour": "a"}]}]}""");
    RelupScript up = RelupCompiler.hop(v1, v2);
    assertEquals(List.of(
        "suspend [b, a]",
        "change-code a v1 -> v2 (up, load-then-migrate, extra {\"k\":1})",
        "change-code b v1 -> v2 (up, load-then-migrate)",
        "resume [a, b]",
        "suspend [c]",
        "change-code c v1 -> v2 (up, load-then-migrate)",
        "resume [c]"), describe(up.commit()).subList(1, 8));
    assertTrue(!up.generated(), "explicit instructions win over generated ones");

    RelupScript down = RelupCompiler.hop(v2, v1);
    assertEquals(List.of(
        "suspend [b, a]",
        "change-code b v2 -> v1 (down, migrate-then-load)",
        "change-code a v2 -> v1 (down, migrate-then-load)",
        "resume [a, b]"), describe(down.commit()).subList(1, 5));
  }

  @Test
  void newChildIsStartedAfterTheSupervisorUpdateAndStoppedBeforeItOnDowngrade() throws Exception {
    // Appup cookbook, "Adding and Deleting Child Processes": upgrade = {update, Sup, supervisor} then
    // supervisor:restart_child; downgrade = terminate_child + delete_child, then {update, Sup, supervisor}.
    RelupScript up = RelupCompiler.hop(GAME_2, GAME_3);
    List<String> upSteps = describe(up.commit());
    assertEquals(List.of("update-supervisor root", "start-child root/leaderboard"), upSteps.subList(upSteps.size() - 2, upSteps.size()));
    assertTrue(upSteps.indexOf("change-code room v2 -> v3 (up, load-then-migrate)") < upSteps.indexOf("update-supervisor root"),
        "going up, the new child starts after the behaviours it talks to are on the new code: " + upSteps);

    RelupScript down = RelupCompiler.hop(GAME_3, GAME_2);
    List<String> downSteps = describe(down.commit());
    assertEquals(List.of("make-current game-2.0.0", "stop-child root/leaderboard", "update-supervisor root"), downSteps.subList(0, 3));
    assertEquals("stop-behaviour board", downSteps.get(downSteps.size() - 1), "OTP's delete_module for board, last");
  }

  @Test
  void generatedInstructionsForChangedBehaviourNewChildAndRemovedChild() {
    assertEquals(List.of(Instruction.Update.soft("lobby"), Instruction.Update.advanced("room")),
        RelupCompiler.generate(GAME_1, GAME_2));
    assertEquals(List.of(Instruction.Update.soft("lobby"), Instruction.Update.advanced("room"),
            new Instruction.AddBehaviour("board"), new Instruction.UpdateSupervisor("root")),
        RelupCompiler.generate(GAME_2, GAME_3), "new child: its behaviour is added and its supervisor updated");
    assertEquals(List.of(Instruction.Update.soft("lobby"), Instruction.Update.advanced("room"),
            new Instruction.UpdateSupervisor("root"), new Instruction.RemoveBehaviour("board")),
        RelupCompiler.generate(GAME_3, GAME_2), "removed child: its supervisor updated, its behaviour removed");
  }

  @Test
  void chainedUpgradeGoesThroughTheReleaseInBetween() throws Exception {
    // room v3 migrates from v2 only (the default): 1.0.0 -> 3.0.0 needs 2.0.0 (OTP would need an appup entry for "1").
    ReleaseDescriptor strict3 = GAME_3;
    Relup plan = RelupCompiler.compile(GAME_1, strict3, List.of(GAME_2));
    assertEquals(List.of("game-1.0.0 -> game-2.0.0", "game-2.0.0 -> game-3.0.0"),
        plan.hops().stream().map(h -> h.from() + " -> " + h.to()).toList());
    Relup back = RelupCompiler.compile(strict3, GAME_1, List.of(GAME_2));
    assertEquals(List.of("game-3.0.0 -> game-2.0.0", "game-2.0.0 -> game-1.0.0"),
        back.hops().stream().map(h -> h.from() + " -> " + h.to()).toList());
    ReleaseDescriptor flexible3 = new ReleaseDescriptor(GAME_3.name(), GAME_3.version(),
        GAME_3.behaviours().stream().map(b -> b.name().equals("room")
            ? new BehaviourSpec(b.name(), b.version(), b.entryClass(), List.of(1, 2)) : b).toList(),
        GAME_3.supervision(), GAME_3.hooks(), GAME_3.upFrom(), GAME_3.downTo());
    assertEquals(1, RelupCompiler.compile(GAME_1, flexible3, List.of(GAME_2)).hops().size(), "a direct way wins");
  }

  @Test
  void noPathIsAClearError() {
    ReleaseDescriptor strict3 = GAME_3;
    NoUpgradePathException e = assertThrows(NoUpgradePathException.class, () -> RelupCompiler.compile(GAME_1, strict3, List.of()));
    assertEquals("no upgrade path from game-1.0.0 to game-3.0.0 with the releases [1.0.0, 3.0.0]: game-3.0.0 has no upFrom "
        + "entry for 1.0.0 and behaviour 'room' v3 of game-3.0.0 migrates from [2] only, not v1", e.getMessage());
  }

  @Test
  void scriptsAreDataIdenticalForIdenticalInputs() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Relup plan = RelupCompiler.compile(GAME_1, GAME_3, List.of(GAME_2));
    String text = json.writeValueAsString(plan);
    assertEquals(text, json.writeValueAsString(RelupCompiler.compile(GAME_1, GAME_3, List.of(GAME_2))));
    assertEquals(plan, json.readValue(text, Relup.class), "a script survives JSON");
    assertTrue(text.contains("\"op\":\"change-code\""), text);
  }

  @Test
  void restartApplicationWhenTheRootSupervisorChanges() throws Exception {
    ReleaseDescriptor other = descriptor(new String(ReleaseDescriptors.write(GAME_2), StandardCharsets.UTF_8).replace("\"root\"", "\"main\"")
        .replace("\"2.0.0\"", "\"2.1.0\""));
    // systools_rc translate_application_instrs: restart_application = stop, remove, add, start.
    assertEquals(List.of("make-current game-2.1.0", "restart-application game-2.1.0"),
        describe(RelupCompiler.hop(GAME_2, other).commit()));
  }

  private static List<String> ops(List<Step> steps) {
    return steps.stream().map(s -> s.describe().split(" ")[0]).toList();
  }

  private static List<String> describe(List<Step> steps) {
    return steps.stream().map(Step::describe).toList();
  }

  static ReleaseDescriptor descriptor(String json) {
    try {
      return ReleaseDescriptors.parse(json.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }


}
