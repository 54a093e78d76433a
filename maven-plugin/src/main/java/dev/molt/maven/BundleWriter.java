package dev.molt.maven;

import dev.molt.protocol.release.ReleaseDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle in the layout the node unpacks: {@code lib/}, its jars, then the descriptor at
 * the root (the order the former antrun snippet wrote). Written beside the target and moved into
 * place, so a failed build leaves the previous bundle, never half of one.
 */
final class BundleWriter {

  private BundleWriter() {}

  /** Writes {@code bundle} and returns its size in bytes. */
  static long write(Path bundle, byte[] descriptor, SortedMap<String, Path> jars) throws IOException {
    Files.createDirectories(bundle.toAbsolutePath().getParent());
    Path partial = Files.createTempFile(bundle.toAbsolutePath().getParent(), bundle.getFileName().toString(), ".part");
    try {
      try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file)) {
        zip.putNextEntry(new ZipEntry(ReleaseDescriptor.LIB_FOLDER));
        zip.closeEntry();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
          zip.putNextEntry(new ZipEntry(jar.getKey()));
          Files.copy(jar.getValue(), zip);
          zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(ReleaseDescriptor.FILE_NAME));
        zip.write(descriptor);
        zip.closeEntry();
      }
      Files.move(partial, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return Files.size(bundle);
  }
}
