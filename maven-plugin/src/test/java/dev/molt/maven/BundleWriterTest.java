package dev.molt.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {

  @TempDir
  Path dir;

  @Test
  void writesTheLayoutTheNodeUnpacksAndReplacesAnOlderBundleWholly() throws Exception {
    Path own = TestJars.jar(dir.resolve("bank.jar"), "com/example/bank/Account.class");
    Path lib = TestJars.jar(dir.resolve("money.jar"), "org/example/Money.class");
    TreeMap<String, Path> jars = new TreeMap<>();
    jars.put("lib/bank-1.0.0.jar", own);
    jars.put("lib/money-1.2.0.jar", lib);
    byte[] descriptor = "{\"name\": \"bank\"}\n".getBytes(StandardCharsets.UTF_8);
    Path bundle = dir.resolve("out/bank-1.0.0.molt");
    Files.createDirectories(bundle.getParent());
    Files.writeString(bundle, "an older bundle");

    long size = BundleWriter.write(bundle, descriptor, jars, Optional.empty());

    assertEquals(Files.size(bundle), size);
    try (ZipFile zip = new ZipFile(bundle.toFile())) {
      assertEquals(List.of("lib/", "lib/bank-1.0.0.jar", "lib/money-1.2.0.jar", "molt-release.json"),
          zip.stream().map(ZipEntry::getName).toList());
      assertArrayEquals(descriptor, zip.getInputStream(zip.getEntry("molt-release.json")).readAllBytes());
      assertArrayEquals(Files.readAllBytes(lib), zip.getInputStream(zip.getEntry("lib/money-1.2.0.jar")).readAllBytes());
    }
    try (Stream<Path> left = Files.list(bundle.getParent())) {
      assertEquals(List.of(bundle), left.toList());
    }
  }

  @Test
  void withAnOutputTimestampTheSameInputsGiveTheSameBytes() throws Exception {
    Path own = TestJars.jar(dir.resolve("bank.jar"), "com/example/bank/Account.class");
    TreeMap<String, Path> jars = new TreeMap<>();
    jars.put("lib/bank-1.0.0.jar", own);
    byte[] descriptor = "{}".getBytes(StandardCharsets.UTF_8);
    Optional<Instant> time = BundleWriter.entryTime("2026-01-01T00:00:00Z");
    assertEquals(BundleWriter.entryTime("1767225600"), time);

    Path first = dir.resolve("first.molt");
    Path second = dir.resolve("second.molt");
    BundleWriter.write(first, descriptor, jars, time);
    BundleWriter.write(second, descriptor, jars, time);

    try (ZipFile zip = new ZipFile(first.toFile())) {
      for (String entry : List.of("lib/", "lib/bank-1.0.0.jar", "molt-release.json")) {
        assertEquals(LocalDateTime.parse("2026-01-01T00:00:00"), zip.getEntry(entry).getTimeLocal(), entry);
      }
    }
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void anUnsetOrDisabledOutputTimestampMeansNowAndABadOneIsNamed() {
    assertEquals(Optional.empty(), BundleWriter.entryTime(null));
    assertEquals(Optional.empty(), BundleWriter.entryTime("a"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BundleWriter.entryTime("yesterday"));
    assertEquals("outputTimestamp 'yesterday' is neither seconds since the epoch nor ISO-8601 with an offset "
        + "(2026-01-01T00:00:00Z)", e.getMessage());
  }
}
