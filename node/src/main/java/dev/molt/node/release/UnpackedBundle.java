package dev.molt.node.release;

import dev.molt.protocol.release.ReleaseDescriptor;
import java.nio.file.Path;
import java.util.List;

/**
 * A bundle whose archive, signature and descriptor passed every check, unpacked into {@code dir};
 * {@code signer} is the id of the trusted key that signed it (or says the check was off).
 */
public record UnpackedBundle(
    String source, ReleaseDescriptor descriptor, String sha256, long sizeBytes, Path dir, List<Path> jars,
    String signer) {}
