package dev.molt.maven;

import dev.molt.protocol.release.ReleaseDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle in the layout the node unpacks: {@code lib/}, its jars, then the descriptor at
 * the root (the order the former antrun snippet wrote). Written beside the target and moved into
 * place, so a failed build leaves the previous bundle, never half of one. With a fixed entry time
 * (Maven's {@code project.build.outputTimestamp}) the same inputs give the same bytes, so a rebuilt
 * bundle has the SHA-256 the node already stored, and uploading it again is a no-op, not a conflict.
 */
final class BundleWriter {

  private BundleWriter() {}

  /**
   * The entry time Maven's {@code outputTimestamp} asks for, read as maven-archiver reads it:
   * seconds since the epoch or ISO-8601 with an offset; unset or one character means "the build's
   * time".
   */
  static Optional<Instant> entryTime(String outputTimestamp) {
    if (outputTimestamp == null || outputTimestamp.isBlank() || outputTimestamp.length() < 2) {
      return Optional.empty();
    }
    if (outputTimestamp.chars().allMatch(Character::isDigit)) {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(outputTimestamp)));
    }
    try {
      return Optional.of(OffsetDateTime.parse(outputTimestamp).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("outputTimestamp '" + outputTimestamp + "' is neither seconds since the "
          + "epoch nor ISO-8601 with an offset (2026-01-01T00:00:00Z)", e);
    }
  }

  /** Writes {@code bundle} and returns its size in bytes; entries get {@code time}, or now. */
  static long write(Path bundle, byte[] descriptor, SortedMap<String, Path> jars, Optional<Instant> time)
      throws IOException {
    Files.createDirectories(bundle.toAbsolutePath().getParent());
    Path partial = Files.createTempFile(bundle.toAbsolutePath().getParent(), bundle.getFileName().toString(), ".part");
    try {
      try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file)) {
        zip.putNextEntry(entry(ReleaseDescriptor.LIB_FOLDER, time));
        zip.closeEntry();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
          zip.putNextEntry(entry(jar.getKey(), time));
          Files.copy(jar.getValue(), zip);
          zip.closeEntry();
        }
        zip.putNextEntry(entry(ReleaseDescriptor.FILE_NAME, time));
        zip.write(descriptor);
        zip.closeEntry();
      }
      Files.move(partial, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return Files.size(bundle);
  }

  /** The time as UTC wall-clock (zip's DOS time has no zone), so the bytes do not depend on the machine's zone. */
  private static ZipEntry entry(String name, Optional<Instant> time) {
    ZipEntry entry = new ZipEntry(name);
    time.ifPresent(t -> entry.setTimeLocal(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
    return entry;
  }
}
