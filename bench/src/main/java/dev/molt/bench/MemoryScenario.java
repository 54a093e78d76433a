package dev.molt.bench;

import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.release.ReleaseId;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 5, memory: N actors moved up and down {@code cycles} times; after each install the old
 * release is purged and loaded again, so every cycle makes two new class loaders. At the end the
 * metaspace must be back where it was and only the two loaded releases' loaders may be alive.
 */
final class MemoryScenario {
  private MemoryScenario() {}

  static void run(Path bundles, int n, int cycles, Results results) throws Exception {
    try (BenchNode node = new BenchNode(bundles)) {
      node.install(BenchNode.V1, InstallMode.BARRIER);
      node.spawnCounters(n);
      List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
      cycle(node, loaders); // warm-up
      long before = metaspaceAfterGc();
      loaders.clear();
      for (int i = 0; i < cycles; i++) {
        cycle(node, loaders);
      }
      long after = metaspaceAfterGc();
      long alive = loaders.stream().filter(r -> r.get() != null).count();
      // The two releases loaded now are legitimately alive.
      long stillLoaded = node.registry().loaded().size();
      results.add("memory", "up-down", n, "metaspace_before_bytes", before);
      results.add("memory", "up-down", n, "metaspace_after_bytes", after);
      results.add("memory", "up-down", n, "loaders_alive_after", Math.max(0, alive - stillLoaded));
      results.add("memory", "up-down", n, "cycles", cycles);
    }
  }

  private static void cycle(BenchNode node, List<WeakReference<ClassLoader>> loaders) throws Exception {
    swapTo(node, BenchNode.V2, BenchNode.V1, loaders);
    swapTo(node, BenchNode.V1, BenchNode.V2, loaders);
  }

  private static void swapTo(BenchNode node, ReleaseId target, ReleaseId old, List<WeakReference<ClassLoader>> loaders)
      throws Exception {
    node.install(target, InstallMode.PIPELINED);
    node.registry().purge(old);
    loaders.add(node.registry().load(old).loaderReference());
  }

  static long metaspaceAfterGc() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        used = pool.getUsage().getUsed();
      }
    }
    return used;
  }
}
