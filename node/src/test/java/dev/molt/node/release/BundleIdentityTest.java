package dev.molt.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.RawBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a bundle is, and what a store holds, can be read only one way. */
class BundleIdentityTest {

  @TempDir Path dir;

  @Test
  void aSecondDescriptorEntryIsRefused() throws Exception {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(RawBundles.counterEntries("1.0.0"));
    byte[] first = entries.stream().filter(e -> e.getKey().equals("molt-release.json")).findFirst().orElseThrow().getValue();
    entries.add(Map.entry("molt-release.json", RawBundles.descriptor(first, "counter", "9.9.9")));
    Path bundle = RawBundles.zip(dir.resolve("twice.molt"), entries);
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      assertEquals(2, zip.stream().filter(e -> e.getName().equals("molt-release.json")).count(), "the archive holds both");
    }
    assertRefused(bundle, "invalid bundle twice.molt: entry 'molt-release.json' appears more than once in the archive; "
        + "each entry must appear once");
  }

  @Test
  void twoNamesForOneFileAreRefused() throws Exception {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(RawBundles.counterEntries("1.0.0"));
    entries.add(Map.entry("lib/./counter-1.0.0.jar", "not a jar".getBytes(StandardCharsets.UTF_8)));
    assertRefused(RawBundles.zip(dir.resolve("alias.molt"), entries),
        "invalid bundle alias.molt: entries 'lib/counter-1.0.0.jar' and 'lib/./counter-1.0.0.jar' name the same file; "
            + "each entry must appear once");
  }

  @Test
  void aReleaseNameEndingInAVersionIsRefused() throws Exception {
    assertRefused(RawBundles.relabelled(dir, "1.0.0", "app-1.2.3", "4.5.6"),
        "invalid bundle app-1.2.3-4.5.6.molt: malformed molt-release.json: name 'app-1.2.3' must not end in a version "
            + "('-1.2.3'): the release id 'app-1.2.3-<version>' would also read as another name and version; "
            + "keep the version in the version field");
  }

  @Test
  void leftoversOfUploadsAndTransfersAreRemovedWhenTheStoreOpens() throws IOException {
    Path store = Files.createDirectories(dir.resolve("store"));
    Path upload = Files.write(Files.createDirectories(store.resolve("uploads")).resolve("upload-123.molt"), new byte[1000]);
    Path transfer = Files.write(Files.createDirectories(store.resolve("incoming"))
        .resolve("counter-1.0.0-0b8f1d2e-0000-4000-8000-000000000000.molt"), new byte[10]);
    try (MoltTestKit molt = MoltTestKit.onStore(store)) {
      molt.registry();
      assertTrue(Files.notExists(upload), "the upload cut short is gone");
      assertTrue(Files.notExists(transfer), "the transfer cut short is gone");
      assertEquals(0, count(store.resolve("uploads")) + count(store.resolve("incoming")));
      assertTrue(molt.registry().store().list().isEmpty());
    }
  }

  private void assertRefused(Path bundle, String expected) throws IOException {
    try (MoltTestKit molt = MoltTestKit.create()) {
      InvalidBundleException refused = assertThrows(InvalidBundleException.class, () -> molt.registry().unpack(bundle));
      assertEquals(expected, refused.getMessage());
      assertTrue(molt.registry().store().list().isEmpty(), "nothing stored");
      assertEquals(0, count(molt.store.resolve("releases")) + count(molt.store.resolve("staging")), "nothing left on disk");
    }
  }

  private static long count(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
