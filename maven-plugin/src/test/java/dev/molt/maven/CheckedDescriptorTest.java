package dev.molt.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckedDescriptorTest {

  private static final String BANK = """
      {
        "name": "bank", "version": "1.0.0",
        "behaviours": [ { "name": "account", "version": 1, "entryClass": "com.example.bank.Account" } ],
        "hooks": [ { "name": "seed", "entryClass": "com.example.bank.Seed" } ]
      }
      """;

  @TempDir
  Path dir;

  private Path descriptor(String json) throws Exception {
    return Files.writeString(dir.resolve("molt-release.json"), json, StandardCharsets.UTF_8);
  }

  @Test
  void keepsTheBytesAsWrittenAndAcceptsEntryClassesFoundInTheJars() throws Exception {
    Path file = descriptor(BANK);
    CheckedDescriptor checked = CheckedDescriptor.read(file);
    assertArrayEquals(Files.readAllBytes(file), checked.bytes());
    assertEquals("bank-1.0.0", checked.descriptor().id().toString());

    Path own = TestJars.jar(dir.resolve("bank.jar"), "com/example/bank/Account.class");
    Path lib = TestJars.jar(dir.resolve("lib.jar"), "com/example/bank/Seed.class");
    checked.requireEntryClassesIn(Map.of("lib/bank-1.0.0.jar", own, "lib/lib-1.0.jar", lib));
  }

  @Test
  void anEntryClassMissingFromTheJarsFailsTheBuildNamingTheFieldAndTheJars() throws Exception {
    Path file = descriptor(BANK);
    Path own = TestJars.jar(dir.resolve("bank.jar"), "com/example/bank/Acount.class");
    MojoFailureException e = assertThrows(MojoFailureException.class,
        () -> CheckedDescriptor.read(file).requireEntryClassesIn(Map.of("lib/bank-1.0.0.jar", own)));
    assertEquals("invalid release descriptor " + file + ": behaviours[0].entryClass 'com.example.bank.Account' "
        + "(behaviour 'account') is not in the bundle's jars [lib/bank-1.0.0.jar]; hook 'seed' entryClass "
        + "'com.example.bank.Seed' is not in the bundle's jars [lib/bank-1.0.0.jar]", e.getMessage());
  }

  @Test
  void anInvalidDescriptorFailsTheBuildWithEveryProblem() throws Exception {
    Path file = descriptor("{ \"name\": \"bank\", \"version\": \"1\", \"behaviours\": [], \"colour\": 1 }");
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> CheckedDescriptor.read(file));
    assertEquals("invalid release descriptor " + file + ": ", e.getMessage().substring(0, e.getMessage().indexOf(": ") + 2));
    assertEquals(true, e.getMessage().contains("\"colour\""), e.getMessage());

    Files.writeString(file, "{ \"name\": \"bank\", \"version\": \"1\", \"behaviours\": [] }");
    e = assertThrows(MojoFailureException.class, () -> CheckedDescriptor.read(file));
    assertEquals("invalid release descriptor " + file + ": version '1' must be MAJOR.MINOR.PATCH[-qualifier]; "
        + "behaviours must list at least one behaviour", e.getMessage());
  }

  @Test
  void aMissingDescriptorFailsTheBuildSayingWhereItWasLookedFor() {
    Path file = dir.resolve("src/main/bundle/molt-release.json");
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> CheckedDescriptor.read(file));
    assertEquals("no release descriptor at " + file + ": write one (see docs/bundles.md in Molt) or point the plugin "
        + "at it with <descriptor> (property molt.descriptor)", e.getMessage());
  }
}
