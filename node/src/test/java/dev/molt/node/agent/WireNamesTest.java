package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.molt.protocol.control.InstallMode;
import org.junit.jupiter.api.Test;

/** The node's closed sets are enums in code and keep the text they had as Strings in JSON. */
class WireNamesTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void releaseStatusesKeepTheirText() throws Exception {
    for (ReleaseStatus.Status status : ReleaseStatus.Status.values()) {
      String json = mapper.writeValueAsString(status);
      assertEquals("\"" + status.name().toLowerCase() + "\"", json);
      assertEquals(status, mapper.readValue(json, ReleaseStatus.Status.class));
    }
    assertEquals("permanent", ReleaseStatus.Status.PERMANENT.toString());
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
