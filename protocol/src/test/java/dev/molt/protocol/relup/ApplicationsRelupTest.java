package dev.molt.protocol.relup;

import static dev.molt.protocol.relup.RelupCompilerTest.descriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.appup.TreeCoverage;
import dev.molt.protocol.release.InvalidDescriptorException;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import dev.molt.protocol.release.StartType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several applications per release, compiled as OTP's systools_relup and systools_rc
 * (lib/sasl/src/systools_relup.erl, systools_rc.erl) compile a release whose {@code .rel} gains or
 * loses an application; each test cites the rule it mirrors.
 */
class ApplicationsRelupTest {

  /** 1.0.0 in the single-tree form: one application named after the release, 'counter'. */
  static final ReleaseDescriptor COUNTER_1 = descriptor("""
      {"name": "counter", "version": "1.0.0",
       "behaviours": [{"name": "counter", "version": 1, "entryClass": "c.Counter"}],
       "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}}""");

  /** 2.0.0: counter at v2 and a second application 'audit' (temporary) with its own tree. */
  static ReleaseDescriptor counter2(String appups) {
    return descriptor("""
        {"name": "counter", "version": "2.0.0",
         "behaviours": [{"name": "counter", "version": 2, "entryClass": "c.Counter"},
                        {"name": "audit", "version": 1, "entryClass": "c.Audit"}],
         "applications": [
           {"name": "counter", "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}},
           {"name": "audit", "startType": "temporary",
            "supervision": {"name": "auditors", "children": [{"name": "auditor", "behaviour": "audit"}]}}]%s}"""
        .formatted(appups));
  }

  @Test
  void anAddedApplicationStartsBeforeTheUpdatesGoingUpAndStopsAfterThemGoingDown() {
    // systools_relup foreach_baserel_up/_dn: prepend_add_app_scripts puts [{add_application, App, Type}] before the
    // applications' appup scripts, append_remove_app_scripts puts [{remove_application, App}] after them, in both
    // directions; systools_rc translate_application_instrs turns them into {apply, {application, start, [App, Type]}}
    // and {apply, {application, stop, [App]}}. Going down, 'audit' is the application the target drops.
    ReleaseDescriptor v2 = counter2("");
    RelupScript up = RelupCompiler.hop(COUNTER_1, v2);
    assertEquals("""
        up counter-1.0.0 -> counter-2.0.0 (generated from the descriptors)
           1. load counter-2.0.0
           2. verify counter v1 <-> v2
           3. warm counter-2.0.0
           4. point-of-no-return
           5. make-current counter-2.0.0
           6. start-application audit (temporary, counter-2.0.0)
           7. suspend [counter]
           8. change-code counter v1 -> v2 (up, load-then-migrate)
           9. resume [counter]
        """, up.render());

    RelupScript down = RelupCompiler.hop(v2, COUNTER_1);
    assertEquals("""
        down counter-2.0.0 -> counter-1.0.0 (generated from the descriptors)
           1. load counter-1.0.0
           2. verify counter v2 <-> v1
           3. warm counter-1.0.0
           4. point-of-no-return
           5. make-current counter-1.0.0
           6. suspend [counter]
           7. change-code counter v2 -> v1 (down, migrate-then-load)
           8. resume [counter]
           9. stop-application audit
          10. stop-behaviour audit
        """, down.render());
    assertEquals(new Step.StartApplication("audit", StartType.TEMPORARY, v2.id()), up.commit().get(1));
    assertEquals(new Step.StopApplication("audit"), down.commit().get(4));
  }

  @Test
  void applicationStepsSurviveJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Relup plan = RelupCompiler.compile(COUNTER_1, counter2(""), List.of());
    assertEquals(plan, json.readValue(json.writeValueAsString(plan), Relup.class));
    assertTrue(json.writeValueAsString(plan).contains("\"op\":\"start-application\",\"application\":\"audit\","
        + "\"startType\":\"temporary\""), json.writeValueAsString(plan));
  }

  @Test
  void explicitAddAndRemoveApplicationRunWhereWritten() {
    // systools_rc translate_dep_loop: instructions without dependencies (add_application, remove_application after
    // translate_application_instrs) keep the author's place; here the author starts 'audit' after the update.
    ReleaseDescriptor v2 = counter2("""
        ,
        "upFrom": [{"version": "1.0.0", "instructions": [
          {"op": "update", "behaviour": "counter"}, {"op": "add-application", "application": "audit"}]}],
        "downTo": [{"version": "1.0.0", "instructions": [
          {"op": "remove-application", "application": "audit"}, {"op": "update", "behaviour": "counter"},
          {"op": "remove-behaviour", "behaviour": "audit"}]}]""");
    assertEquals(List.of("make-current counter-2.0.0", "suspend [counter]", "change-code counter v1 -> v2 (up, load-then-migrate)",
        "resume [counter]", "start-application audit (temporary, counter-2.0.0)"), describe(RelupCompiler.hop(COUNTER_1, v2).commit()));
    assertEquals(List.of("make-current counter-1.0.0", "stop-application audit", "suspend [counter]",
        "change-code counter v2 -> v1 (down, migrate-then-load)", "resume [counter]", "stop-behaviour audit"),
        describe(RelupCompiler.hop(v2, COUNTER_1).commit()));
    assertEquals(List.of(), TreeCoverage.uncovered(v2, COUNTER_1));
  }

  @Test
  void anExplicitListThatForgetsAnApplicationIsNamed() {
    // Explicit instructions win: without add-application the audit tree would never start on a live upgrade,
    // while a restart of the node would boot it.
    ReleaseDescriptor v2 = counter2("""
        ,
        "upFrom": [{"version": "1.0.0", "instructions": [{"op": "update", "behaviour": "counter"}]}]""");
    assertEquals(List.of("counter-2.0.0's upFrom 1.0.0 lists explicit instructions but does not cover: application "
        + "'audit' added; add {\"op\": \"add-application\", \"application\": \"audit\"} or drop the explicit list"),
        TreeCoverage.uncovered(v2, COUNTER_1));
  }

  @Test
  void applicationInstructionsNameApplicationsTheyCanChange() {
    // systools_rc translate_application_instrs: {error, {no_such_application, App}} and
    // {error, {removed_application_present, App}}.
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> ReleaseDescriptors.parse(
        new String(ReleaseDescriptors.write(counter2("")), StandardCharsets.UTF_8).replaceFirst("\\{", """
            {"upFrom": [{"version": "1.0.0", "instructions": [
              {"op": "add-application", "application": "billing"},
              {"op": "remove-application", "application": "audit"}]}],
             "downTo": [{"version": "1.0.0", "instructions": [{"op": "remove-application", "application": "billing"}]}],
            """).getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of(
        "upFrom '1.0.0': add-application names 'billing', which the release does not declare (OTP: no_such_application)",
        "upFrom '1.0.0': remove-application names 'audit', which the release still runs (OTP: removed_application_present)",
        "downTo '1.0.0': remove-application names 'billing', which the release does not declare (OTP: no_such_application)"),
        e.problems());
  }

  @Test
  void aSupervisorThatMovesBetweenApplicationsRestartsThem() {
    // Application by application the supervisor 'counters' would run twice (started with 'audit' before 'counter'
    // stops) or not at all: OTP's restart_application instead (systools_rc translate_application_instrs).
    ReleaseDescriptor moved = descriptor("""
        {"name": "counter", "version": "2.0.0",
         "behaviours": [{"name": "counter", "version": 2, "entryClass": "c.Counter"}],
         "applications": [{"name": "main", "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}}]}""");
    assertEquals(List.of(new Instruction.Update(("counter"), Instruction.Change.advanced, null, null),
        new Instruction.RestartApplication()), RelupCompiler.generate(COUNTER_1, moved));
    assertTrue(RelupCompiler.hop(COUNTER_1, moved).render().contains("restart-application counter-2.0.0"));
  }

  private static List<String> describe(List<Step> steps) {
    return steps.stream().map(Step::describe).toList();
  }
}
