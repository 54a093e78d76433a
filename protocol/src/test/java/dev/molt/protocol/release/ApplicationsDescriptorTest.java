package dev.molt.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several applications per release, and the single-tree form as one application named after the release. */
class ApplicationsDescriptorTest {

  private static final String BEHAVIOURS = """
      "behaviours": [{"name": "counter", "version": 1, "entryClass": "a.Counter"},
                     {"name": "audit", "version": 1, "entryClass": "a.Audit"}]""";

  @Test
  void listsApplicationsWithTheirTreesAndStartTypes() throws Exception {
    ReleaseDescriptor d = parse("""
        {"name": "counter", "version": "2.0.0", %s,
         "applications": [
           {"name": "counters", "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}},
           {"name": "audit", "startType": "temporary",
            "supervision": {"name": "auditors", "children": [{"name": "auditor", "behaviour": "audit"}]}}]}
        """.formatted(BEHAVIOURS));
    assertEquals(List.of("counters", "audit"), d.allApplications().stream().map(ApplicationSpec::name).toList());
    assertEquals(StartType.PERMANENT, d.application("counters").orElseThrow().startType());
    assertEquals(StartType.TEMPORARY, d.application("audit").orElseThrow().startType());
    assertEquals(List.of("counters", "auditors"), d.supervisors().stream().map(SupervisorSpec::name).toList());
    assertTrue(d.supervisor("auditors").isPresent());
    assertEquals(d, ReleaseDescriptors.parse(ReleaseDescriptors.write(d)));
  }

  @Test
  void theSingleTreeFormIsOnePermanentApplicationNamedAfterTheRelease() throws Exception {
    ReleaseDescriptor d = parse("""
        {"name": "counter", "version": "1.0.0", %s,
         "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}}
        """.formatted(BEHAVIOURS));
    assertEquals(List.of(new ApplicationSpec("counter", StartType.PERMANENT, d.supervision())), d.allApplications());
    // Written back in the form it was read: no applications list appears.
    assertTrue(!new String(ReleaseDescriptors.write(d), StandardCharsets.UTF_8).contains("applications"));
  }

  @Test
  void everyProblemOfTheApplicationsNamesItsField() {
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> parse("""
        {"name": "counter", "version": "2.0.0", %s,
         "supervision": {"name": "root"},
         "applications": [
           {"name": "counters", "supervision": {"name": "counters", "dynamic": {"behaviour": "counter"}}},
           {"name": "counters", "supervision": {"name": "others"}},
           {"name": "Audit!", "supervision": {"name": "counters"}},
           {"name": "empty"}]}
        """.formatted(BEHAVIOURS)));
    assertEquals(List.of(
        "supervision and applications are both given; a release declares either one tree (supervision) or a list of "
            + "applications, each with its own supervision",
        "applications[1].name 'counters' is listed twice",
        "applications[2].name 'Audit!' must match " + ReleaseDescriptors.NAME_PATTERN,
        "applications[3].supervision is required: the application's supervision tree",
        "supervisor 'counters' is declared in applications 'counters' and 'Audit!'; supervisor names are unique across "
            + "a release's applications"), e.problems());
  }

  @Test
  void aBadStartTypeIsRefusedNamingTheFieldAndTheValue() {
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> parse("""
        {"name": "counter", "version": "2.0.0", %s,
         "applications": [{"name": "audit", "startType": "forever", "supervision": {"name": "auditors"}}]}
        """.formatted(BEHAVIOURS)));
    assertTrue(e.getMessage().contains("startType 'forever' must be permanent, transient or temporary"), e.getMessage());
    assertTrue(e.getMessage().endsWith(" at applications[0].startType"), e.getMessage());
  }

  @Test
  void theStartTypeDecidesWhetherAStopFailsTheNode() {
    // OTP's application:start/2 types: permanent stops the node on any stop, transient on an abnormal one only,
    // temporary never. Molt reports the node unhealthy instead of stopping it.
    assertEquals(List.of(true, true), List.of(StartType.PERMANENT.stopFailsNode(true), StartType.PERMANENT.stopFailsNode(false)));
    assertEquals(List.of(true, false), List.of(StartType.TRANSIENT.stopFailsNode(true), StartType.TRANSIENT.stopFailsNode(false)));
    assertEquals(List.of(false, false), List.of(StartType.TEMPORARY.stopFailsNode(true), StartType.TEMPORARY.stopFailsNode(false)));
  }

  private static ReleaseDescriptor parse(String json) throws InvalidDescriptorException {
    return ReleaseDescriptors.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
