package dev.molt.maven;

import dev.molt.protocol.release.BehaviourSpec;
import dev.molt.protocol.release.HookSpec;
import dev.molt.protocol.release.InvalidDescriptorException;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.plugin.MojoFailureException;

/**
 * A release descriptor read and validated by the node's own rules ({@link ReleaseDescriptors}), with
 * its exact bytes: the bundle carries the file as written, so what was reviewed is what runs.
 */
record CheckedDescriptor(Path file, byte[] bytes, ReleaseDescriptor descriptor) {

  static CheckedDescriptor read(Path file) throws MojoFailureException {
    if (!Files.isRegularFile(file)) {
      throw new MojoFailureException("no release descriptor at " + file + ": write one (see docs/bundles.md in Molt) "
          + "or point the plugin at it with <descriptor> (property molt.descriptor)");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MojoFailureException("cannot read the release descriptor " + file + ": " + e.getMessage(), e);
    }
    try {
      return new CheckedDescriptor(file, bytes, ReleaseDescriptors.parse(bytes));
    } catch (InvalidDescriptorException e) {
      throw new MojoFailureException("invalid release descriptor " + file + ": " + String.join("; ", e.problems()));
    }
  }

  /**
   * Fails unless every behaviour's and hook's {@code entryClass} is a class file in one of
   * {@code jars} (entry name in the bundle -> jar): the node would refuse the bundle at upload, and
   * it must not be on the node's own class path either, so a typo is found here and not there.
   */
  void requireEntryClassesIn(Map<String, Path> jars) throws MojoFailureException {
    Set<String> classFiles = classFilesIn(jars);
    List<String> problems = new ArrayList<>();
    List<BehaviourSpec> behaviours = descriptor.behaviours();
    for (int i = 0; i < behaviours.size(); i++) {
      String entryClass = behaviours.get(i).entryClass();
      if (!classFiles.contains(classFile(entryClass))) {
        problems.add("behaviours[" + i + "].entryClass '" + entryClass + "' (behaviour '" + behaviours.get(i).name()
            + "') is not in the bundle's jars " + jars.keySet());
      }
    }
    for (HookSpec hook : descriptor.hooks()) {
      if (!classFiles.contains(classFile(hook.entryClass()))) {
        problems.add("hook '" + hook.name() + "' entryClass '" + hook.entryClass() + "' is not in the bundle's jars "
            + jars.keySet());
      }
    }
    if (!problems.isEmpty()) {
      throw new MojoFailureException("invalid release descriptor " + file + ": " + String.join("; ", problems));
    }
  }

  private static String classFile(String className) {
    return className.replace('.', '/') + ".class";
  }

  private static Set<String> classFilesIn(Map<String, Path> jars) throws MojoFailureException {
    Set<String> names = new HashSet<>();
    for (Map.Entry<String, Path> jar : jars.entrySet()) {
      try (ZipFile zip = new ZipFile(jar.getValue().toFile())) {
        zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(names::add);
      } catch (IOException e) {
        throw new MojoFailureException("cannot read " + jar.getValue() + " (" + jar.getKey() + "): " + e.getMessage(), e);
      }
    }
    return names;
  }
}
