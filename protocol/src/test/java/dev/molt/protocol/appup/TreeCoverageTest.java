package dev.molt.protocol.appup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.protocol.release.InvalidDescriptorException;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bank from issue 11: 2.0.0 lists an explicit update (to pass extra) and its tree adds a static
 * child 'auditor'. Explicit instructions win, so without an update-supervisor the auditor would
 * never start on a live upgrade: the release is refused naming the child.
 */
class TreeCoverageTest {
  private static final String BANK_1 = """
      {"name": "bank", "version": "1.0.0",
       "behaviours": [{"name": "account", "version": 1, "entryClass": "bank.Account"}],
       "supervision": {"name": "root", "dynamic": {"behaviour": "account"}}}
      """;

  @Test
  void anExplicitListThatMissesAnAddedStaticChildIsNamed() throws Exception {
    ReleaseDescriptor bank2 = bank2("""
        "upFrom": [{"version": "1.0.0", "instructions": [
          {"op": "update", "behaviour": "account", "extra": {"currency": "EUR"}}]}],
        "downTo": [{"version": "1.0.0", "instructions": [{"op": "update", "behaviour": "account"}]}]
        """);

    assertEquals(List.of(
        "bank-2.0.0's upFrom 1.0.0 lists explicit instructions but does not cover: static child 'auditor' added under "
            + "supervisor 'root'; add {\"op\": \"update-supervisor\", \"supervisor\": \"root\"} or drop the explicit list",
        "bank-2.0.0's downTo 1.0.0 lists explicit instructions but does not cover: static child 'auditor' removed under "
            + "supervisor 'root'; add {\"op\": \"update-supervisor\", \"supervisor\": \"root\"} or drop the explicit list"),
        TreeCoverage.uncovered(bank2, parse(BANK_1)));
  }

  @Test
  void coveredOrGeneratedListsPass() throws Exception {
    ReleaseDescriptor covered = bank2("""
        "upFrom": [{"version": "1.0.0", "instructions": [
          {"op": "update", "behaviour": "account", "extra": {"currency": "EUR"}},
          {"op": "update-supervisor", "supervisor": "root"}]}],
        "downTo": [{"version": "1.0.0", "instructions": [{"op": "restart-application"}]}]
        """);
    assertEquals(List.of(), TreeCoverage.uncovered(covered, parse(BANK_1)));
    assertEquals(List.of(), TreeCoverage.uncovered(bank2(null), parse(BANK_1)), "no explicit list: generated");
  }

  @Test
  void describesEveryChangeOfASupervisorsOwnSpec() throws Exception {
    ReleaseDescriptor was = parse("""
        {"name": "bank", "version": "1.0.0",
         "behaviours": [{"name": "account", "version": 1, "entryClass": "bank.Account"}],
         "supervision": {"name": "root", "strategy": "one-for-one", "intensity": 3, "periodSeconds": 5,
           "children": [{"name": "old", "behaviour": "account"}, {"name": "kept", "behaviour": "account", "start": 1}]}}
        """);
    ReleaseDescriptor will = parse("""
        {"name": "bank", "version": "2.0.0",
         "behaviours": [{"name": "account", "version": 2, "entryClass": "bank.Account"}],
         "supervision": {"name": "root", "strategy": "one-for-all", "intensity": 10, "periodSeconds": 5,
           "children": [{"name": "kept", "behaviour": "account", "start": 2}]}}
        """);
    assertEquals("static child 'kept' changed, static child 'old' removed, strategy one-for-one -> one-for-all, "
        + "restart intensity 3 in 5 s -> 10 in 5 s under supervisor 'root'",
        TreeCoverage.describe(was.supervision(), will.supervision()));
  }

  private static ReleaseDescriptor bank2(String appup) throws InvalidDescriptorException {
    return parse("""
        {"name": "bank", "version": "2.0.0",
         "behaviours": [{"name": "account", "version": 2, "entryClass": "bank.Account"}],
         "supervision": {"name": "root", "dynamic": {"behaviour": "account"},
           "children": [{"name": "auditor", "behaviour": "account", "start": "audit"}]}
        """ + (appup == null ? "" : ", " + appup) + "}");
  }

  private static ReleaseDescriptor parse(String json) throws InvalidDescriptorException {
    return ReleaseDescriptors.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
