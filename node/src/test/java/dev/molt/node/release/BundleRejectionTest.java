package dev.molt.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.TestBundles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed bundle is refused with its own reason, and nothing of it stays in the store. */
class BundleRejectionTest {
  private static final String DESCRIPTOR = """
      {"name": "counter", "version": "1.0.0",
       "behaviours": [{"name": "counter", "version": 1, "entryClass": "%s"}]}
      """;
  private static final String COUNTER = "dev.molt.testbundle.counter.Counter";

  @TempDir Path dir;
  private MoltTestKit molt;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create("molt.bundle.max-entry-bytes = 64 KiB");
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void entryEscapingWithDotDot() throws IOException {
    // Deep enough to land beside the store if it were followed.
    String escape = "lib/../../../../../" + molt.store.getFileName() + "-evil.txt";
    assertRefused(bundle("dotdot", validEntries(), Map.of(escape, bytes("x"))),
        "invalid bundle dotdot.molt: entry '" + escape + "' escapes the bundle with '..'");
    assertTrue(Files.notExists(molt.store.resolveSibling(molt.store.getFileName() + "-evil.txt")), "nothing escaped");
  }

  @Test
  void entryWithAnAbsolutePath() throws IOException {
    assertRefused(bundle("absolute", validEntries(), Map.of("/tmp/evil.txt", bytes("x"))),
        "invalid bundle absolute.molt: entry '/tmp/evil.txt' has an absolute path");
  }

  @Test
  void truncatedZip() throws IOException {
    byte[] whole = Files.readAllBytes(TestBundles.counter("1.0.0"));
    Path cut = dir.resolve("truncated.molt");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    assertRefused(cut, "invalid bundle truncated.molt: not a valid zip archive (truncated or corrupt)");
  }

  @Test
  void notAZipAtAll() throws IOException {
    Path text = dir.resolve("text.molt");
    Files.writeString(text, "hello");
    assertRefused(text, "invalid bundle text.molt: not a valid zip archive (truncated or corrupt)");
  }

  @Test
  void noDescriptor() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.remove("molt-release.json");
    assertRefused(bundle("nodescriptor", entries, Map.of()),
        "invalid bundle nodescriptor.molt: no molt-release.json at the root of the bundle");
  }

  @Test
  void malformedDescriptor() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.put("molt-release.json", bytes("{\"name\": \"counter\", \"version\": \"one\", \"behaviours\": []}"));
    assertRefused(bundle("baddescriptor", entries, Map.of()),
        "invalid bundle baddescriptor.molt: malformed molt-release.json: version 'one' must be MAJOR.MINOR.PATCH[-qualifier]; "
            + "behaviours must list at least one behaviour");
  }

  @Test
  void descriptorThatIsNotJson() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.put("molt-release.json", bytes("name: counter"));
    assertRefused(bundle("notjson", entries, Map.of()), "invalid bundle notjson.molt: malformed molt-release.json: malformed JSON");
  }

  @Test
  void unknownEntryClass() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.put("molt-release.json", bytes(DESCRIPTOR.formatted("dev.molt.testbundle.counter.Missing")));
    assertRefused(bundle("unknownclass", entries, Map.of()),
        "invalid bundle unknownclass.molt: entry class dev.molt.testbundle.counter.Missing of behaviour 'counter' is not in the bundle's jars");
  }

  @Test
  void entryClassThatIsNotABehaviour() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.put("molt-release.json", bytes(DESCRIPTOR.formatted(COUNTER + "$State")));
    assertRefused(bundle("notspi", entries, Map.of()),
        "invalid bundle notspi.molt: entry class " + COUNTER + "$State of behaviour 'counter' does not implement "
            + "dev.molt.node.spi.VersionedBehaviour");
  }

  @Test
  void versionDifferentFromTheDescriptor() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.put("molt-release.json", bytes(DESCRIPTOR.replace("\"version\": 1", "\"version\": 7").formatted(COUNTER)));
    assertRefused(bundle("wrongversion", entries, Map.of()),
        "invalid bundle wrongversion.molt: behaviour 'counter' (" + COUNTER + ") says it is version 1 but molt-release.json says 7");
  }

  @Test
  void entryOverTheSizeBound() throws IOException {
    assertRefused(bundle("huge", validEntries(), Map.of("lib/padding.bin", new byte[128 * 1024])),
        "invalid bundle huge.molt: entry 'lib/padding.bin' is larger than the entry limit of 65536 bytes");
  }

  @Test
  void noJars() throws IOException {
    Map<String, byte[]> entries = validEntries();
    entries.keySet().removeIf(name -> name.startsWith("lib/"));
    assertRefused(bundle("nojars", entries, Map.of()), "invalid bundle nojars.molt: no jars under lib/");
  }

  @Test
  void sameVersionWithOtherContentConflictsAndSameContentIsANoOp() throws Exception {
    LoadedRelease first = molt.registry().unpack(TestBundles.counter("1.0.0"));
    assertEquals(first, molt.registry().unpack(TestBundles.counter("1.0.0")), "same bytes: the same release");

    Map<String, byte[]> entries = validEntries();
    entries.put("lib/extra.jar", Files.readAllBytes(TestBundles.counterJar("1.0.0")));
    Path other = bundle("counter-1.0.0-rebuilt", entries, Map.of());
    ReleaseConflictException conflict = assertThrows(ReleaseConflictException.class, () -> molt.registry().unpack(other));
    assertTrue(conflict.getMessage().contains("release counter-1.0.0 is already stored with other content"), conflict.getMessage());
    assertEquals(1, molt.registry().store().list().size());
    assertEquals(first.sha256(), molt.registry().store().list().get(0).sha256());
  }

  @Test
  void theValidBundleIsAccepted() throws Exception {
    LoadedRelease release = molt.registry().unpack(bundle("valid", validEntries(), Map.of()));
    assertEquals("counter-1.0.0", release.id().toString());
    assertEquals(64, release.sha256().length());
    assertTrue(Files.isRegularFile(release.stored().bundleFile()), "the bundle itself is kept in the store");
  }

  private void assertRefused(Path bundle, String expectedStart) {
    InvalidBundleException refused = assertThrows(InvalidBundleException.class, () -> molt.registry().unpack(bundle));
    assertTrue(refused.getMessage().startsWith(expectedStart),
        "expected a message starting with\n  " + expectedStart + "\nbut got\n  " + refused.getMessage());
    assertEquals(0, molt.registry().store().list().size(), "nothing stored");
    assertTrue(molt.registry().loaded().isEmpty(), "nothing loaded");
    assertEquals(0, countFiles(molt.store.resolve("releases")), "nothing unpacked in the store");
    assertEquals(0, countFiles(molt.store.resolve("staging")), "nothing left in staging");
    assertTrue(Files.notExists(dir.resolve("evil.txt")) && Files.notExists(Path.of("/tmp/evil.txt")), "nothing escaped");
  }

  private Map<String, byte[]> validEntries() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("molt-release.json", bytes(DESCRIPTOR.formatted(COUNTER)));
    entries.put("lib/", new byte[0]);
    entries.put("lib/counter-1.0.0.jar", Files.readAllBytes(TestBundles.counterJar("1.0.0")));
    return entries;
  }

  private Path bundle(String name, Map<String, byte[]> entries, Map<String, byte[]> more) throws IOException {
    Path file = dir.resolve(name + ".molt");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      Map<String, byte[]> all = new LinkedHashMap<>(entries);
      all.putAll(more);
      for (Map.Entry<String, byte[]> entry : all.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry(dev.molt.protocol.signing.BundleSignature.ENTRY));
      zip.write(dev.molt.node.testing.DevKey.signatureOf(List.copyOf(all.entrySet())));
      zip.closeEntry();
    }
    return file;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long countFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
