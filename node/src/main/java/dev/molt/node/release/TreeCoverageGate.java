package dev.molt.node.release;

import dev.molt.protocol.appup.TreeCoverage;
import dev.molt.protocol.release.ReleaseDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * At unpack, refuses a release whose explicit instructions for a stored older release leave a
 * change of the supervision tree uncovered ({@link TreeCoverage}): installed, it would leave the
 * live tree different from the release it runs. Instructions for a version not stored yet are
 * checked by every install's final comparison of the live tree with the target.
 */
final class TreeCoverageGate {
  private TreeCoverageGate() {}

  static void refuseUncovered(UnpackedBundle staged, ReleaseStore store) throws InvalidBundleException {
    ReleaseDescriptor uploaded = staged.descriptor();
    List<String> problems = new ArrayList<>();
    for (StoredRelease stored : store.list()) {
      ReleaseDescriptor older = stored.descriptor();
      if (older.name().equals(uploaded.name()) && older.releaseVersion().compareTo(uploaded.releaseVersion()) < 0) {
        problems.addAll(TreeCoverage.uncovered(uploaded, older));
      }
    }
    if (!problems.isEmpty()) {
      store.delete(staged.dir());
      throw new InvalidBundleException(staged.source(), String.join("; ", problems));
    }
  }
}
