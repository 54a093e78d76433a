package dev.molt.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseDescriptorsTest {

  @Test
  void readsAValidDescriptorAndWritesItBack() throws Exception {
    ReleaseDescriptor d = parse("""
        {"name": "game", "version": "2.0.0",
         "behaviours": [{"name": "room", "version": 2, "entryClass": "com.example.game.Room"}]}
        """);
    assertEquals(new ReleaseId("game", "2.0.0"), d.id());
    assertEquals(List.of(new BehaviourSpec("room", 2, "com.example.game.Room")), d.behaviours());
    assertEquals(d, ReleaseDescriptors.parse(ReleaseDescriptors.write(d)));
  }

  @Test
  void listsEveryProblem() {
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> parse("""
        {"name": "Game!", "version": "2.0",
         "behaviours": [{"name": "room", "version": 0, "entryClass": "not a class"},
                        {"name": "room", "version": 1, "entryClass": "a.B"}]}
        """));
    assertEquals(List.of(
        "name 'Game!' must match [a-z0-9][a-z0-9._-]{0,63}",
        "version '2.0' must be MAJOR.MINOR.PATCH[-qualifier]",
        "behaviours[0].version must be >= 1, was 0",
        "behaviours[0].entryClass 'not a class' is not a Java class name",
        "behaviours[1].name 'room' is listed twice"), e.problems());
  }

  @Test
  void aLossyDeclarationNamesBehavioursOfTheReleaseOnce() throws Exception {
    ReleaseDescriptor lossy = parse("""
        {"name": "bank", "version": "2.0.0", "lossy": ["account"],
         "behaviours": [{"name": "account", "version": 2, "entryClass": "com.example.Account"},
                        {"name": "teller", "version": 1, "entryClass": "com.example.Teller"}]}
        """);
    assertTrue(lossy.lossy("account"));
    assertEquals(false, lossy.lossy("teller"));
    assertEquals(lossy, ReleaseDescriptors.parse(ReleaseDescriptors.write(lossy)));

    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> parse("""
        {"name": "bank", "version": "2.0.0", "lossy": ["acount", "account", "account"],
         "behaviours": [{"name": "account", "version": 2, "entryClass": "com.example.Account"}]}
        """));
    assertEquals(List.of(
        "lossy[0] 'acount' is not a behaviour of the release; lossy lists behaviours whose migrations may lose data on purpose",
        "lossy[2] 'account' is listed twice"), e.problems());
  }

  @Test
  void rejectsUnknownFieldsAndBrokenJson() {
    InvalidDescriptorException typo = assertThrows(InvalidDescriptorException.class,
        () -> parse("{\"name\": \"game\", \"version\": \"1.0.0\", \"behavior\": []}"));
    assertTrue(typo.getMessage().startsWith("malformed JSON: Unrecognized field \"behavior\""), typo.getMessage());
    InvalidDescriptorException broken = assertThrows(InvalidDescriptorException.class, () -> parse("{\"name\": "));
    assertTrue(broken.getMessage().startsWith("malformed JSON"), broken.getMessage());
  }

  @Test
  void releaseVersionsOrderNumerically() {
    List<String> sorted = List.of("10.0.0", "2.0.0", "2.0.0-rc.1", "2.10.0", "1.9.9").stream()
        .map(ReleaseVersion::parse).sorted().map(ReleaseVersion::toString).toList();
    assertEquals(List.of("1.9.9", "2.0.0-rc.1", "2.0.0", "2.10.0", "10.0.0"), sorted);
    assertThrows(IllegalArgumentException.class, () -> ReleaseVersion.parse("v2"));
  }

  private static ReleaseDescriptor parse(String json) throws InvalidDescriptorException {
    return ReleaseDescriptors.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
