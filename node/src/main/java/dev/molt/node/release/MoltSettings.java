package dev.molt.node.release;

import com.typesafe.config.Config;
import dev.molt.node.dispatch.HostDispatcher;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code molt} section of the node's configuration, read once per ActorSystem. */
public record MoltSettings(
    Path releaseStore,
    BundleLimits bundleLimits,
    BundleTrust bundleTrust,
    Duration warmTimeout,
    int stashCapacity,
    Duration migrationBudget,
    MigrationThread migrationThread,
    HostDispatcher hostDispatcher,
    Duration installStepTimeout,
    int installMaxInFlight,
    int installSwapsInFlight,
    int installBlocksInFlight,
    boolean installWarmUp,
    int installRehearsalSamples,
    Duration transferIdleTimeout,
    Duration agentLocalTimeout,
    Duration agentInstallTimeout) {

  public static MoltSettings from(Config config) {
    Config molt = config.getConfig("molt");
    Config bundle = molt.getConfig("bundle");
    int maxInFlight = molt.getInt("install.max-in-flight");
    int swapsInFlight = molt.getInt("install.swaps-in-flight");
    int blocksInFlight = molt.getInt("install.blocks-in-flight");
    int rehearsalSamples = molt.getInt("install.rehearsal-samples");
    if (rehearsalSamples < 0) {
      throw new IllegalArgumentException("molt.install.rehearsal-samples must be 0 (off) or more, was " + rehearsalSamples);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("molt.install.max-in-flight must be at least 1, was " + maxInFlight);
    }
    if (swapsInFlight < 1) {
      throw new IllegalArgumentException("molt.install.swaps-in-flight must be at least 1, was " + swapsInFlight);
    }
    if (blocksInFlight < 1) {
      throw new IllegalArgumentException("molt.install.blocks-in-flight must be at least 1, was " + blocksInFlight);
    }
    Duration transferIdle = positive(molt, "transfer.idle-timeout");
    return new MoltSettings(
        Path.of(molt.getString("release-store.dir")).toAbsolutePath().normalize(),
        new BundleLimits(
            bundle.getBytes("max-bundle-bytes"),
            bundle.getBytes("max-entry-bytes"),
            bundle.getBytes("max-unpacked-bytes"),
            bundle.getInt("max-entries")),
        BundleTrust.from(bundle),
        molt.getDuration("release.warm-timeout"),
        molt.getInt("host.stash-capacity"),
        positive(molt, "host.migration-budget"),
        MigrationThread.of(molt.getString("host.migration-thread")),
        HostDispatcher.from(config),
        molt.getDuration("install.step-timeout"),
        maxInFlight,
        swapsInFlight,
        blocksInFlight,
        molt.getBoolean("install.warm-up"),
        rehearsalSamples,
        transferIdle,
        positive(molt, "agent.local-timeout"),
        positive(molt, "agent.install-timeout"));
  }

  private static Duration positive(Config molt, String key) {
    Duration value = molt.getDuration(key);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException("molt." + key + " must be positive, was " + value);
    }
    return value;
  }

  /** Where a host runs a state migration ({@code molt.host.migration-thread}). */
  public enum MigrationThread {
    /** On an abandonable release-code thread: one that never returns fails at the budget. */
    RELEASE_CODE,
    /** On the actor's own thread: no hop, but one that never returns wedges the actor and a dispatcher thread. */
    ACTOR;

    static MigrationThread of(String setting) {
      return switch (setting) {
        case "release-code" -> RELEASE_CODE;
        case "actor" -> ACTOR;
        default -> throw new IllegalArgumentException(
            "molt.host.migration-thread must be release-code or actor, was '" + setting + "'");
      };
    }
  }

  /** Bounds on what a bundle may unpack to; a bundle over any of them is rejected, never cut. */
  public record BundleLimits(long maxBundleBytes, long maxEntryBytes, long maxUnpackedBytes, int maxEntries) {}
}
