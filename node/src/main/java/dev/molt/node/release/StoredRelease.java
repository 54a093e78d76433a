package dev.molt.node.release;

import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import java.nio.file.Path;
import java.util.List;

/**
 * A release in the node's store: its original bundle ({@code bundle.molt}, byte for byte what was
 * given, so it can be handed on), the unpacked descriptor and jars, and its SHA-256.
 */
public record StoredRelease(
    ReleaseDescriptor descriptor, String sha256, long sizeBytes, Path dir, List<Path> jars) {

  public ReleaseId id() {
    return descriptor.id();
  }

  public Path bundleFile() {
    return dir.resolve(BundleUnpacker.BUNDLE_COPY);
  }
}
