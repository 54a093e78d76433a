package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import dev.molt.node.release.ReleaseStore;
import dev.molt.node.testing.RawBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bundle arriving over HTTP is written under the store's uploads/ with a name of Molt's making
 * (upload-12799526093740386941.molt). A refusal names it by the release its descriptor declares, or
 * by its size when the descriptor cannot be read, never by that file; it is logged once on the
 * node, at WARN, with the cause; and nothing of it is stored.
 */
class UploadNamingTest {
  private static final String TEMP_NAME = "upload-12799526093740386941.molt";

  @Test
  void aRefusedUploadIsNamedByItsDescriptorAndLoggedOnce() throws IOException {
    try (AgentTestKit node = AgentTestKit.create()) {
      List<Map.Entry<String, byte[]>> entries = new ArrayList<>(RawBundles.counterEntries("1.0.0"));
      entries.add(Map.entry("lib/../../escape.txt", "x".getBytes(StandardCharsets.UTF_8)));
      Path upload = RawBundles.zip(uploads(node).resolve(TEMP_NAME), entries);

      String expected = "invalid bundle counter-1.0.0: entry 'lib/../../escape.txt' escapes the bundle with '..'";
      AgentReply.UnpackRefused refused = LoggingTestKit.warn("unpack refused (INVALID): " + expected)
          .withOccurrences(1)
          .expect(node.molt.kit.system(), () -> node.expect(AgentReply.UnpackRefused.class,
              node.ask(r -> new AgentCommand.Unpack(upload, r))));

      assertEquals(UnpackFailure.INVALID, refused.failure());
      assertEquals(expected, refused.reason());
      assertTrue(node.statuses().isEmpty(), "nothing stored: " + node.statuses());
    }
  }

  @Test
  void anUploadWithoutAReadableDescriptorIsNamedBySize() throws IOException {
    try (AgentTestKit node = AgentTestKit.create()) {
      Path upload = Files.writeString(uploads(node).resolve(TEMP_NAME), "not a zip");

      AgentReply.UnpackRefused refused = node.expect(AgentReply.UnpackRefused.class,
          node.ask(r -> new AgentCommand.Unpack(upload, r)));

      assertTrue(refused.reason().startsWith("invalid bundle (an upload of 9 bytes): not a valid zip archive"),
          refused.reason());
      assertFalse(refused.reason().contains("upload-"), refused.reason());
    }
  }

  @Test
  void anUploadTheClientNamedIsNamedByThatNameWhenItsDescriptorCannotBeRead() throws IOException {
    try (AgentTestKit node = AgentTestKit.create()) {
      Path folder = Files.createDirectories(uploads(node).resolve("upload-12799526093740386941"));
      Path upload = Files.writeString(folder.resolve("bank-2.0.0.molt"), "not a zip");

      AgentReply.UnpackRefused refused = node.expect(AgentReply.UnpackRefused.class,
          node.ask(r -> new AgentCommand.Unpack(upload, r)));

      assertTrue(refused.reason().startsWith("invalid bundle bank-2.0.0.molt: not a valid zip archive"), refused.reason());
    }
  }

  /**
   * The store's uploads folder, once the agent answers: the store removes leftover uploads when it
   * opens, which would take a file written before.
   */
  private static Path uploads(AgentTestKit node) throws IOException {
    assertTrue(node.statuses().isEmpty(), "a fresh node");
    return Files.createDirectories(node.molt.store.resolve(ReleaseStore.UPLOADS));
  }
}
