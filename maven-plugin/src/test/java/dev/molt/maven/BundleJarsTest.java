package dev.molt.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleJarsTest {

  @TempDir
  Path dir;

  private Artifact artifact(String group, String id, String scope, String type, String file) throws IOException {
    Artifact a = new DefaultArtifact(group, id, "1.2.0", scope, type, null, new DefaultArtifactHandler(type));
    if (file != null) {
      a.setFile(TestJars.jar(dir.resolve(file), "x/X.class").toFile());
    }
    return a;
  }

  @Test
  void bundlesTheProjectJarUnderTheReleaseNameAndRuntimeDependenciesButNothingProvided() throws Exception {
    Artifact project = artifact("com.example", "bank", null, "jar", "bank-1.2.0.jar");
    BundleJars jars = BundleJars.of("bank-2.0.0", project, List.of(
        artifact("org.example", "money", "compile", "jar", "repo/money.jar"),
        artifact("org.example", "driver", "runtime", "jar", "repo/driver.jar"),
        artifact("dev.molt", "molt-node", "provided", "jar", "repo/node.jar"),
        artifact("com.typesafe.akka", "akka-actor_2.13", "provided", "jar", "repo/akka.jar"),
        artifact("org.junit.jupiter", "junit-jupiter", "test", "jar", "repo/junit.jar")));

    assertEquals(List.of("lib/bank-2.0.0.jar", "lib/driver-1.2.0.jar", "lib/money-1.2.0.jar"),
        List.copyOf(jars.entries().keySet()));
    assertEquals(dir.resolve("repo/money.jar"), jars.entries().get("lib/money-1.2.0.jar"));
    assertEquals(List.of(), jars.warnings());
  }

  @Test
  void moltItselfInACompileScopeFailsTheBuildNamingTheArtifactAndTheFix() throws Exception {
    Artifact project = artifact("com.example", "bank", null, "jar", "bank.jar");
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> BundleJars.of("bank-1.0.0", project,
        List.of(artifact("dev.molt", "molt-node", "compile", "jar", "repo/node.jar"))));
    assertTrue(e.getMessage().startsWith("dependency dev.molt:molt-node:1.2.0 has scope 'compile'"), e.getMessage());
    assertTrue(e.getMessage().contains("declare it with <scope>provided</scope>"), e.getMessage());
  }

  @Test
  void aLibraryTheNodeHasIsBundledWithAWarningAndANonJarIsLeftOutWithOne() throws Exception {
    Artifact project = artifact("com.example", "bank", null, "jar", "bank.jar");
    BundleJars jars = BundleJars.of("bank-1.0.0", project, List.of(
        artifact("com.fasterxml.jackson.core", "jackson-databind", "compile", "jar", "repo/databind.jar"),
        artifact("org.example", "docs", "runtime", "zip", null)));

    assertEquals(List.of("lib/bank-1.0.0.jar", "lib/jackson-databind-1.2.0.jar"), List.copyOf(jars.entries().keySet()));
    assertEquals(2, jars.warnings().size(), jars.warnings().toString());
    assertTrue(jars.warnings().get(1).contains("org.example:docs:1.2.0: not a jar"), jars.warnings().toString());
    assertTrue(jars.warnings().get(0).contains("com.fasterxml.jackson.core:jackson-databind:1.2.0 is bundled, but the node "
        + "has this library"), jars.warnings().toString());
  }

  @Test
  void twoJarsOfOneNameFailTheBuildNamingBoth() throws Exception {
    Artifact project = artifact("com.example", "bank", null, "jar", "bank.jar");
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> BundleJars.of("money-1.2.0", project,
        List.of(artifact("org.example", "money", "compile", "jar", "repo/money.jar"))));
    assertEquals("two jars would be lib/money-1.2.0.jar in the bundle: the project's jar com.example:bank:1.2.0 and "
        + "org.example:money:1.2.0; rename the project (the release) or exclude one of them", e.getMessage());
  }

  @Test
  void aProjectWithoutAJarFailsTheBuildSayingWhy() throws Exception {
    Artifact project = artifact("com.example", "bank", null, "pom", null);
    MojoFailureException e = assertThrows(MojoFailureException.class,
        () -> BundleJars.of("bank-1.0.0", project, List.of()));
    assertTrue(e.getMessage().startsWith("the project com.example:bank:1.2.0 has no jar to bundle (found null)"),
        e.getMessage());
  }
}
