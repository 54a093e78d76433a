package dev.molt.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    long size = BundleWriter.write(bundle, descriptor, jars);

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
}
