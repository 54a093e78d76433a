package dev.molt.protocol.relup;

import static dev.molt.protocol.relup.RelupCompilerTest.descriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.appup.TreeCoverage;
import dev.molt.protocol.release.InvalidDescriptorException;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code restart-application} naming one application, compiled as systools_rc compiles OTP's
 * {@code {restart_application, App}} (lib/sasl/src/systools_rc.erl, translate_application_instrs):
 * {@code [{apply, {application, stop, [App]}}, <remove and add its modules>, {apply, {application, start, [App, Type]}}]}
 * after the point of no return; the other applications' instructions run as written.
 */
class RestartApplicationRelupTest {

  /** 2.1.0: both applications of 2.0.0, 'audit' at v2 with a second static child. */
  static ReleaseDescriptor counter21(String appups) {
    return descriptor("""
        {"name": "counter", "version": "2.1.0",
         "behaviours": [{"name": "counter", "version": 2, "entryClass": "c.Counter"},
                        {"name": "audit", "version": 2, "entryClass": "c.Audit"}],
         "applications": [
           {"name": "counter", "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}},
           {"name": "audit", "startType": "transient",
            "supervision": {"name": "auditors", "children": [{"name": "auditor", "behaviour": "audit"},
                                                             {"name": "auditor-2", "behaviour": "audit"}]}}]%s}"""
        .formatted(appups));
  }

  private static final String RESTART_AUDIT = """
      , "upFrom": [{"version": "2.0.0", "instructions": [
          {"op": "update", "behaviour": "counter", "change": "soft"},
          {"op": "restart-application", "application": "audit"}]}],
        "downTo": [{"version": "2.0.0", "instructions": [
          {"op": "restart-application", "application": "audit"},
          {"op": "update", "behaviour": "counter", "change": "soft"}]}]""";

  @Test
  void aNamedRestartStopsThenStartsThatApplicationOnlyWhereWritten() {
    // systools_rc translate_application_instrs: {restart_application, App} -> {apply, {application, stop, [App]}}
    // then {apply, {application, start, [App, Type]}} with the new release's Type; translate_dep_loop keeps the
    // appup's order, so going up the counters' update comes first and going down last.
    ReleaseDescriptor v20 = ApplicationsRelupTest.counter2("");
    ReleaseDescriptor v21 = counter21(RESTART_AUDIT);
    assertEquals(List.of("make-current counter-2.1.0", "suspend [counter]", "change-code counter v2 -> v2 (up, load-only)",
        "resume [counter]", "stop-application audit", "start-application audit (transient, counter-2.1.0)"),
        afterPointOfNoReturn(RelupCompiler.hop(v20, v21)));
    assertEquals(List.of("make-current counter-2.0.0", "stop-application audit", "start-application audit (temporary, counter-2.0.0)",
        "suspend [counter]", "change-code counter v2 -> v2 (down, load-only)", "resume [counter]"),
        afterPointOfNoReturn(RelupCompiler.hop(v21, v20)));
    // The restarted application starts its whole tree as the target declares it: its supervisor change is covered.
    assertEquals(List.of(), TreeCoverage.uncovered(v21, v20));
  }

  @Test
  void withoutAnApplicationEveryApplicationRestartsAsBefore() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Instruction all = json.readValue("{\"op\": \"restart-application\"}", Instruction.class);
    assertEquals(new Instruction.RestartApplication(), all);
    assertEquals("{\"op\":\"restart-application\"}", json.writeValueAsString(all));
    Instruction one = json.readValue("{\"op\": \"restart-application\", \"application\": \"audit\"}", Instruction.class);
    assertEquals(new Instruction.RestartApplication("audit"), one);
    assertEquals(one, json.readValue(json.writeValueAsString(one), Instruction.class));

    ReleaseDescriptor v21 = counter21("""
        , "upFrom": [{"version": "2.0.0", "instructions": [{"op": "restart-application"}]}]""");
    assertEquals(List.of("make-current counter-2.1.0", "restart-application counter-2.1.0"),
        afterPointOfNoReturn(RelupCompiler.hop(ApplicationsRelupTest.counter2(""), v21)));
  }

  @Test
  void aNamedRestartIsRefusedAtUploadWhenItNamesNoApplicationOrGoesWithChangesToItsActors() {
    // systools_rc: {error, {no_such_application, App}}; an update of a module the restart reloads has no process left
    // to change (Molt refuses it rather than dropping it).
    assertEquals(List.of(
        "upFrom '2.0.0': instructions[0] (update audit) cannot go with restart-application audit: behaviour 'audit' runs "
            + "in application 'audit', whose actors the restart starts again on the target",
        "upFrom '2.0.0': instructions[1] (update-supervisor auditors) cannot go with restart-application audit: supervisor "
            + "'auditors' belongs to application 'audit', whose actors the restart starts again on the target",
        "upFrom '2.0.0': instructions[4] (remove-application audit) cannot go with restart-application audit: it names "
            + "the same application, whose actors the restart starts again on the target",
        "upFrom '2.0.0': restart-application names application 'billing', which the release does not declare "
            + "(it declares [counter, audit]; OTP: no_such_application)"),
        problems("""
            , "upFrom": [{"version": "2.0.0", "instructions": [
                {"op": "update", "behaviour": "audit"}, {"op": "update-supervisor", "supervisor": "auditors"},
                {"op": "restart-application", "application": "audit"}, {"op": "update", "behaviour": "counter"},
                {"op": "remove-application", "application": "audit"},
                {"op": "restart-application", "application": "billing"}]}]"""
    ).stream().filter(p -> !p.contains("remove-application names")).toList());
    assertEquals(List.of("upFrom '2.0.0': instructions[1] (restart-application audit) is listed twice",
            "upFrom '2.0.0': instructions[2] (restart-application audit) is listed twice"),
        problems("""
            , "upFrom": [{"version": "2.0.0", "instructions": [{"op": "update", "behaviour": "counter"},
                {"op": "restart-application", "application": "audit"}, {"op": "restart-application", "application": "audit"}]}]"""));
    assertEquals(List.of("upFrom '2.0.0': instructions[1] (restart-application audit) cannot go with restart-application, "
            + "which restarts the whole tree on the target; only apply may"),
        problems("""
            , "upFrom": [{"version": "2.0.0", "instructions": [{"op": "restart-application"},
                {"op": "restart-application", "application": "audit"}]}]"""));
  }

  @Test
  void aNamedRestartOfAnApplicationOneSideDoesNotRunFailsToCompile() {
    // systools_rc translate_application_instrs: the application must be in both releases (no_such_application).
    ReleaseDescriptor v21 = counter21("""
        , "downTo": [{"version": "1.0.0", "instructions": [{"op": "restart-application", "application": "audit"}]}]""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RelupCompiler.hop(v21, ApplicationsRelupTest.COUNTER_1));
    assertEquals("restart-application 'audit': counter-1.0.0 has no such application (OTP: no_such_application)",
        e.getMessage());
  }

  private static List<String> problems(String appups) {
    return assertThrows(InvalidDescriptorException.class, () -> ReleaseDescriptors.parse(
        new String(ReleaseDescriptors.write(counter21("")), StandardCharsets.UTF_8)
            .replaceFirst("\\}$", appups + "}").getBytes(StandardCharsets.UTF_8))).problems();
  }

  private static List<String> afterPointOfNoReturn(RelupScript script) {
    List<String> steps = script.steps().stream().map(Step::describe).toList();
    return steps.subList(steps.indexOf("point-of-no-return") + 1, steps.size());
  }
}
