package dev.molt.maven;

import dev.molt.protocol.release.ReleaseDescriptor;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The jars a bundle carries under {@code lib/} (entry name -> file): the project's own jar, named
 * after the release as the node's store shows it, and every runtime dependency, each once.
 *
 * @param warnings what the build should say about dependencies that were left out or that bring
 *     nothing (one line each)
 */
record BundleJars(SortedMap<String, Path> entries, List<String> warnings) {

  /** Maven's scopes whose artifacts a running release needs and the node does not give it. */
  private static final List<String> BUNDLED_SCOPES = List.of(Artifact.SCOPE_COMPILE, Artifact.SCOPE_RUNTIME);
  /** Molt's own artifacts: the node has them, and a bundled copy would drag all of Akka along. */
  private static final String MOLT_GROUP = "dev.molt";
  /**
   * Groups on the node's class path. A release loader asks its parent (the node) first, so the
   * bundled copies of these classes are never loaded: dead weight, worth a warning.
   */
  private static final List<String> NODE_GROUPS = List.of("com.typesafe.akka", "com.lightbend.akka",
      "org.scala-lang", "com.fasterxml.jackson", "org.slf4j", "ch.qos.logback", "com.typesafe");

  static BundleJars of(String releaseId, Artifact project, Collection<Artifact> dependencies)
      throws MojoFailureException {
    SortedMap<String, Path> entries = new TreeMap<>();
    Map<String, String> claimedBy = new TreeMap<>();
    List<String> warnings = new ArrayList<>();
    File own = project.getFile();
    if (own == null || !own.isFile() || !own.getName().endsWith(".jar")) {
      throw new MojoFailureException("the project " + coordinates(project) + " has no jar to bundle (found " + own
          + "): the bundle goal runs at package, after jar:jar, in a project of packaging 'jar'");
    }
    add(entries, claimedBy, ReleaseDescriptor.LIB_FOLDER + releaseId + ".jar", own.toPath(),
        "the project's jar " + coordinates(project));
    List<Artifact> sorted = new ArrayList<>(dependencies);
    sorted.sort(Comparator.comparing(BundleJars::coordinates));
    for (Artifact dependency : sorted) {
      if (!BUNDLED_SCOPES.contains(dependency.getScope())) {
        continue; // provided, test and system: the node or nobody supplies them at run time
      }
      if (dependency.getGroupId().equals(MOLT_GROUP)) {
        throw new MojoFailureException("dependency " + coordinates(dependency) + " has scope '" + dependency.getScope()
            + "' (trail " + dependency.getDependencyTrail() + "): Molt's artifacts are provided by the node; "
            + "declare it with <scope>provided</scope>");
      }
      File file = dependency.getFile();
      if (file == null || !file.isFile() || !file.getName().endsWith(".jar")) {
        warnings.add("molt bundle: left out " + coordinates(dependency) + ": not a jar (" + file + ")");
        continue;
      }
      if (NODE_GROUPS.stream().anyMatch(g -> dependency.getGroupId().equals(g) || dependency.getGroupId().startsWith(g + "."))) {
        warnings.add("molt bundle: " + coordinates(dependency) + " is bundled, but the node has this library: its "
            + "classes load from the node (parent first); declare it <scope>provided</scope> to keep it out");
      }
      add(entries, claimedBy, ReleaseDescriptor.LIB_FOLDER + jarName(dependency), file.toPath(), coordinates(dependency));
    }
    return new BundleJars(entries, List.copyOf(warnings));
  }

  private static void add(SortedMap<String, Path> entries, Map<String, String> claimedBy, String entry, Path jar,
      String what) throws MojoFailureException {
    String first = claimedBy.putIfAbsent(entry, what);
    if (first != null) {
      throw new MojoFailureException("two jars would be " + entry + " in the bundle: " + first + " and " + what
          + "; rename the project (the release) or exclude one of them");
    }
    entries.put(entry, jar);
  }

  private static String jarName(Artifact a) {
    String classifier = a.getClassifier() == null || a.getClassifier().isEmpty() ? "" : "-" + a.getClassifier();
    return a.getArtifactId() + "-" + a.getBaseVersion() + classifier + ".jar";
  }

  private static String coordinates(Artifact a) {
    return a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getBaseVersion();
  }
}
