package dev.molt.protocol.relup;

import static dev.molt.protocol.relup.RelupCompilerTest.GAME_2;
import static dev.molt.protocol.relup.RelupCompilerTest.descriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.InvalidDescriptorException;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Explicit instructions ({@code upFrom} / {@code downTo}) compiled as OTP's {@code systools_rc}
 * (lib/sasl/src/systools_rc.erl) compiles an appup; each test cites the rule it mirrors.
 */
class ExplicitInstructionsTest {

  private static final String APP_1 = """
      {"name": "app", "version": "1.0.0", "behaviours": [
        {"name": "m", "version": 1, "entryClass": "x.M"}, {"name": "n", "version": 1, "entryClass": "x.N"}]}""";

  /** app 2.0.0: m and n at v2, a hook {@code h}, and the given upFrom/downTo instructions for 1.0.0. */
  private static ReleaseDescriptor app2(String upFrom, String downTo) {
    return descriptor(new String(app2Json(upFrom, downTo), StandardCharsets.UTF_8));
  }

  private static final String UPDATE_M = "{\"op\": \"update\", \"behaviour\": \"m\"}";
  private static final String UPDATE_N = "{\"op\": \"update\", \"behaviour\": \"n\"}";
  private static final String APPLY_H = "{\"op\": \"apply\", \"hook\": \"h\"}";
  private static final String POINT = "{\"op\": \"point-of-no-return\"}";

  @Test
  void hookKeepsItsPlaceBeforeTheUpdateItPrepares() {
    // systools_rc translate_dep_loop: an instruction without dependencies (apply) stays where it is
    // ("After ++ [I]"); each update becomes its suspend/code_change/resume block in place. Nothing moves
    // to the end.
    ReleaseDescriptor v2 = app2(APPLY_H + "," + UPDATE_M + "," + APPLY_H + "," + UPDATE_N, UPDATE_M);
    RelupScript up = RelupCompiler.hop(descriptor(APP_1), v2);
    assertFalse(up.generated());
    assertEquals(List.of(
        "make-current app-2.0.0",
        "apply h (app-2.0.0)",
        "suspend [m]",
        "change-code m v1 -> v2 (up, load-then-migrate)",
        "resume [m]",
        "apply h (app-2.0.0)",
        "suspend [n]",
        "change-code n v1 -> v2 (up, load-then-migrate)",
        "resume [n]"), describe(up.commit()));
  }

  @Test
  void downgradeHookIsTheNewerReleasesAndRunsWhereWritten() {
    // systools_rc/appup: the DownTo instructions are in the newer release's .appup and its {apply, {M, F, A}}
    // names the newer code (release_handler evaluates them while that code is still loaded). The step names
    // app-2.0.0, the release being left, not the target app-1.0.0, which declares no hook.
    ReleaseDescriptor v2 = app2(UPDATE_M, UPDATE_M + "," + APPLY_H + "," + UPDATE_N);
    RelupScript down = RelupCompiler.hop(v2, descriptor(APP_1));
    assertEquals(Direction.DOWN, down.direction());
    assertEquals(List.of(
        "make-current app-1.0.0",
        "suspend [m]",
        "change-code m v2 -> v1 (down, migrate-then-load)",
        "resume [m]",
        "apply h (app-2.0.0)",
        "suspend [n]",
        "change-code n v2 -> v1 (down, migrate-then-load)",
        "resume [n]"), describe(down.commit()));
    assertEquals(List.of("load app-1.0.0", "verify m v2 <-> v1", "verify n v2 <-> v1", "warm app-1.0.0"),
        describe(down.prepare()), "the hook stays after the point of no return");
  }

  @Test
  void applyBeforeThePointOfNoReturnRunsInThePreparePhase() {
    // systools_rc split_script: "only apply and load_object_code are before the point_of_no_return"; the
    // apply stays there. Molt loads the release first (the hook's class is in it) and verifies and warms last,
    // right before the point.
    ReleaseDescriptor v2 = app2(APPLY_H + "," + POINT + "," + UPDATE_M + "," + APPLY_H, UPDATE_M);
    RelupScript up = RelupCompiler.hop(descriptor(APP_1), v2);
    assertEquals(List.of("load app-2.0.0", "apply h (app-2.0.0)", "verify m v1 <-> v2", "warm app-2.0.0"),
        describe(up.prepare()));
    assertEquals(List.of("make-current app-2.0.0", "suspend [m]", "change-code m v1 -> v2 (up, load-then-migrate)",
        "resume [m]", "apply h (app-2.0.0)"), describe(up.commit()));
  }

  @Test
  void anUpdateBeforeThePointOfNoReturnIsRefusedNamingItsIndex() {
    // systools_rc split_script: anything but apply/load_object_code before point_of_no_return throws
    // {bad_op_before_point_of_no_return, Instruction}; a second one throws too_many_point_of_no_return.
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> ReleaseDescriptors.parse(
        app2Json(APPLY_H + "," + UPDATE_M + "," + POINT + "," + UPDATE_N, UPDATE_M + "," + POINT + "," + POINT)));
    assertEquals(List.of(
        "upFrom '1.0.0': instructions[1] (update m) comes before the point-of-no-return at instructions[2]; only "
            + "apply may, since a failure there must change nothing (OTP: bad_op_before_point_of_no_return)",
        "downTo '1.0.0': instructions[0] (update m) comes before the point-of-no-return at instructions[1]; only "
            + "apply may, since a failure there must change nothing (OTP: bad_op_before_point_of_no_return)",
        "downTo '1.0.0': instructions[2] (point-of-no-return) is a second point-of-no-return (the first is "
            + "instructions[1]); a script has one (OTP: too_many_point_of_no_return)"), e.problems());

    // A descriptor built in code, past the parser: the compiler refuses it the same way.
    ReleaseDescriptor v2 = app2(UPDATE_M, UPDATE_M);
    IllegalArgumentException compiled = assertThrows(IllegalArgumentException.class, () -> RelupCompiler.translate(
        descriptor(APP_1), v2, List.of(new Instruction.UpdateSupervisor("root"), new Instruction.PointOfNoReturn()), false));
    assertEquals("app-2.0.0 upFrom '1.0.0': instructions[0] (update-supervisor root) comes before the "
        + "point-of-no-return at instructions[1]; only apply may, since a failure there must change nothing "
        + "(OTP: bad_op_before_point_of_no_return)", compiled.getMessage());
  }

  @Test
  void explicitSupervisorUpdatesAddsAndRemovalsKeepTheAuthorsOrder() {
    // systools_rc translate_dep_loop keeps the appup's order; OTP starts what an upgrade adds where the author
    // put it (e.g. before the updates that call it). Generated plans update supervisors after the blocks going up
    // and before them going down, and remove last; explicit ones do as written.
    String tree3 = new String(ReleaseDescriptors.write(RelupCompilerTest.GAME_3), StandardCharsets.UTF_8);
    ReleaseDescriptor game3 = descriptor(tree3.substring(0, tree3.lastIndexOf('}')) + """
        , "upFrom": [{"version": "2.0.0", "instructions": [
            {"op": "update-supervisor", "supervisor": "root"}, {"op": "add-behaviour", "behaviour": "board"},
            {"op": "update", "behaviour": "room"}, {"op": "update", "behaviour": "lobby", "change": "soft"}]}],
          "downTo": [{"version": "2.0.0", "instructions": [
            {"op": "update", "behaviour": "room"}, {"op": "remove-behaviour", "behaviour": "board"},
            {"op": "update-supervisor", "supervisor": "root"}]}]}""");
    assertEquals(List.of(
        "make-current game-3.0.0",
        "update-supervisor root",
        "start-child root/leaderboard",
        "suspend [room]",
        "change-code room v2 -> v3 (up, load-then-migrate)",
        "resume [room]",
        "suspend [lobby]",
        "change-code lobby v1 -> v1 (up, load-only)",
        "resume [lobby]"), describe(RelupCompiler.hop(GAME_2, game3).commit()));
    assertEquals(List.of(
        "make-current game-2.0.0",
        "suspend [room]",
        "change-code room v3 -> v2 (down, migrate-then-load)",
        "resume [room]",
        "stop-behaviour board",
        "stop-child root/leaderboard",
        "update-supervisor root"), describe(RelupCompiler.hop(game3, GAME_2).commit()));
  }

  @Test
  void anUpdatesTimeoutBoundsItsSuspendAndChangeCode() {
    // systools_rc normalize_instrs: {update, Mod, Timeout, ...} becomes {suspend, [{Mod, Timeout}]}; Molt bounds
    // the change-code step of that update by it as well. Without one, molt.install.step-timeout applies.
    ReleaseDescriptor v2 = app2("{\"op\": \"update\", \"behaviour\": \"m\", \"timeout\": \"2s\"}," + UPDATE_N, UPDATE_M);
    RelupScript up = RelupCompiler.hop(descriptor(APP_1), v2);
    assertEquals(List.of(
        "suspend [m] (timeout [m 2000 ms])",
        "change-code m v1 -> v2 (up, load-then-migrate, timeout 2000 ms)",
        "resume [m]",
        "suspend [n]",
        "change-code n v1 -> v2 (up, load-then-migrate)",
        "resume [n]"), describe(up.commit()).subList(1, 7));
    assertEquals(2000L, ((Step.Suspend) up.commit().get(1)).timeoutMillis("m"));
    assertEquals(2000L, ((Step.ChangeCode) up.commit().get(2)).timeoutMillis());

    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> ReleaseDescriptors.parse(app2Json(
        "{\"op\": \"update\", \"behaviour\": \"m\", \"timeout\": \"2 seconds\"},"
            + "{\"op\": \"update\", \"behaviour\": \"n\", \"timeout\": \"0ms\"}",
        "{\"op\": \"update\", \"behaviour\": \"m\", \"timeout\": \"31m\"}")));
    assertEquals(List.of(
        "upFrom '1.0.0': instructions[0] (update m): timeout '2 seconds' must be a whole number of ms, s or m, "
            + "e.g. '500ms', '2s'",
        "upFrom '1.0.0': instructions[1] (update n): timeout '0ms' must be between 1ms and 30m",
        "downTo '1.0.0': instructions[0] (update m): timeout '31m' must be between 1ms and 30m"), e.problems());
  }

  @Test
  void restartApplicationTakesOnlyHooksBesideIt() {
    // systools_rc translate_application_instrs: restart_application stops the application and starts the new
    // one; an update beside it would have no actors left to change, so it is refused rather than dropped.
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> ReleaseDescriptors.parse(
        app2Json(APPLY_H + ",{\"op\": \"restart-application\"}," + UPDATE_M, UPDATE_M)));
    assertEquals(List.of("upFrom '1.0.0': instructions[2] (update m) cannot go with restart-application, which "
        + "restarts the whole tree on the target; only apply may"), e.problems());
  }

  private static byte[] app2Json(String upFrom, String downTo) {
    return ("""
        {"name": "app", "version": "2.0.0", "behaviours": [
          {"name": "m", "version": 2, "entryClass": "x.M"}, {"name": "n", "version": 2, "entryClass": "x.N"}],
         "hooks": [{"name": "h", "entryClass": "x.H"}],
         "upFrom": [{"version": "1.0.0", "instructions": [%s]}],
         "downTo": [{"version": "1.0.0", "instructions": [%s]}]}""".formatted(upFrom, downTo))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> describe(List<Step> steps) {
    return steps.stream().map(Step::describe).toList();
  }
}
