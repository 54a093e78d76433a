package dev.molt.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseIdTest {

  @Test
  void aNameEndingInAVersionIsRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReleaseId("app-1.2.3", "4.5.6"));
    assertEquals("release name 'app-1.2.3' must not end in a version ('-1.2.3'): the release id 'app-1.2.3-<version>' "
        + "would also read as another name and version; keep the version in the version field", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReleaseId("tools-2.0", "1.0.0"));
  }

  @Test
  void aDescriptorNamedWithAVersionIsInvalid() {
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> ReleaseDescriptors.parse("""
        {"name": "app-1.2.3", "version": "4.5.6",
         "behaviours": [{"name": "room", "version": 1, "entryClass": "a.Room"}]}
        """.getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("name 'app-1.2.3' must not end in a version ('-1.2.3'): the release id 'app-1.2.3-<version>' "
        + "would also read as another name and version; keep the version in the version field"), e.problems());
  }

  @Test
  void namesWithDigitsThatAreNotAVersionSuffixStayValid() {
    for (String name : List.of("app", "log4j2", "jdk-17", "app-v1.2", "app-1.2.3-tools", "my.app-1x", "app-2")) {
      assertEquals(new ReleaseId(name, "1.0.0"), ReleaseId.parse(name + "-1.0.0"), name);
    }
  }

  /** Every valid id built from awkward pieces prints to a text that reads back as that same id. */
  @Test
  void everyValidIdReadsBackAsItself() {
    List<String> pieces = List.of("app", "1.2.3", "1.2", "2", "x1", "rc.1", "4.5.6");
    List<String> names = new ArrayList<>();
    for (String a : pieces) {
      names.add(a);
      for (String b : pieces) {
        names.add(a + "-" + b);
        for (String c : pieces) {
          names.add(a + "-" + b + "-" + c);
        }
      }
    }
    List<String> versions = List.of("4.5.6", "1.2.3", "1.0.0-rc.1", "2.0.0-4.5.6", "10.20.30-x");
    int checked = 0;
    for (String name : names) {
      if (!ReleaseDescriptors.isValidName(name)) {
        continue;
      }
      for (String version : versions) {
        ReleaseId id = new ReleaseId(name, version);
        assertEquals(id, ReleaseId.parse(id.toString()), id.toString());
        checked++;
      }
    }
    assertEquals(true, checked > 500, "checked " + checked);
  }
}
