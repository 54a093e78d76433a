package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.StartType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's closed sets are enums in code and keep the text they had as Strings in JSON. */
class WireNamesTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void releaseStatusesKeepTheirText() throws Exception {
    for (ReleaseStatus status : ReleaseStatus.values()) {
      String json = mapper.writeValueAsString(status);
      assertEquals("\"" + status.name().toLowerCase() + "\"", json);
      assertEquals(status, mapper.readValue(json, ReleaseStatus.class));
    }
    assertEquals("permanent", ReleaseStatus.PERMANENT.toString());
    assertEquals(List.of("unpacked", "current", "permanent", "old", "unknown"),
        Arrays.stream(ReleaseStatus.values()).map(ReleaseStatus::json).toList());
  }

  @Test
  void aReleaseStatusThisVersionDoesNotKnowReadsAsUnknown() throws Exception {
    assertEquals(ReleaseStatus.UNKNOWN, mapper.readValue("\"staged\"", ReleaseStatus.class));
    assertEquals(ReleaseStatus.OLD, mapper.readValue("\"old\"", ReleaseStatus.class));
  }

  @Test
  void progressPhasesAndStartTypesKeepTheirText() throws Exception {
    assertEquals(List.of("started", "finished", "failed", "reverted"),
        Arrays.stream(ProgressEvent.Phase.values()).map(ProgressEvent.Phase::toString).toList());
    assertEquals("\"transient\"", mapper.writeValueAsString(StartType.TRANSIENT));
    assertEquals(StartType.TEMPORARY, mapper.readValue("\"temporary\"", StartType.class));
    ValueInstantiationException refused = assertThrows(ValueInstantiationException.class,
        () -> mapper.readValue("\"sometimes\"", StartType.class));
    assertEquals("startType 'sometimes' must be permanent, transient or temporary", refused.getCause().getMessage());
  }

  @Test
  void installModesKeepTheirTextAndRefuseOthersByName() throws Exception {
    assertEquals("\"pipelined\"", mapper.writeValueAsString(InstallMode.PIPELINED));
    assertEquals(InstallMode.BARRIER, mapper.readValue("\"barrier\"", InstallMode.class));
    ValueInstantiationException refused = assertThrows(ValueInstantiationException.class,
        () -> mapper.readValue("\"fast\"", InstallMode.class));
    assertEquals("mode 'fast' must be barrier or pipelined", refused.getCause().getMessage());
  }
}
