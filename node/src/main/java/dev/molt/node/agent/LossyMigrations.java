package dev.molt.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.protocol.appup.AppupEntry;
import dev.molt.protocol.appup.Instruction;
import dev.molt.protocol.release.ReleaseDescriptor;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.Relup;
import dev.molt.protocol.relup.RelupScript;
import dev.molt.protocol.relup.Step;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which migrations a release lets lose data ({@code "lossy"} in its descriptor), and what the
 * rehearsal's way back passes. Both are the newer release's word, as both migrations are its code.
 */
final class LossyMigrations {
  private LossyMigrations() {}

  /** The newer of two descriptors of one application: the one that holds both migrations. */
  static ReleaseDescriptor newer(ReleaseDescriptor a, ReleaseDescriptor b) {
    return a.releaseVersion().compareTo(b.releaseVersion()) >= 0 ? a : b;
  }

  /** Whether the migration of {@code behaviour} between the two releases is declared lossy. */
  static boolean declared(ReleaseDescriptor source, ReleaseDescriptor target, String behaviour) {
    return newer(source, target).lossy(behaviour);
  }

  /**
   * The {@code extra} of the way back: what the newer release's explicit instructions for the
   * opposite direction pass to this behaviour's update, else nothing (as a generated plan would).
   */
  static JsonNode extraBack(ReleaseDescriptor source, ReleaseDescriptor target, String behaviour, JsonNode none) {
    ReleaseDescriptor newer = newer(source, target);
    ReleaseDescriptor older = newer == source ? target : source;
    boolean backIsUpgrade = newer == source;
    return newer.appup(older.version(), backIsUpgrade).map(AppupEntry::instructions).orElse(java.util.List.of()).stream()
        .filter(i -> i instanceof Instruction.Update u && u.behaviour().equals(behaviour))
        .map(i -> ((Instruction.Update) i).extra())
        .findFirst().orElse(none);
  }

  /** Lines for the plan's text: each verify step whose round trip is waived, and by which release. */
  static String planNotes(Relup relup, Function<ReleaseId, Optional<ReleaseDescriptor>> descriptors) {
    StringBuilder notes = new StringBuilder();
    for (RelupScript hop : relup.hops()) {
      Optional<ReleaseDescriptor> from = descriptors.apply(hop.from());
      Optional<ReleaseDescriptor> to = descriptors.apply(hop.to());
      if (from.isEmpty() || to.isEmpty()) {
        continue;
      }
      for (Step step : hop.prepare()) {
        if (step instanceof Step.Verify verify && declared(from.get(), to.get(), verify.behaviour())) {
          notes.append("  lossy: ").append(newer(from.get(), to.get()).id()).append(" declares the migrations of '")
              .append(verify.behaviour()).append("' lossy: '").append(verify.describe())
              .append("' does not compare the round trip v").append(verify.fromVersion()).append(" -> v")
              .append(verify.toVersion()).append(" -> v").append(verify.fromVersion()).append('\n');
        }
      }
    }
    return notes.toString();
  }
}
