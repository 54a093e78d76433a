package dev.molt.node.release;

import dev.molt.protocol.release.ReleaseDescriptor;
import java.nio.file.Path;
import java.util.List;

/** A bundle whose archive and descriptor passed every check, unpacked into {@code dir}. */
public record UnpackedBundle(
    String source, ReleaseDescriptor descriptor, String sha256, long sizeBytes, Path dir, List<Path> jars) {}
