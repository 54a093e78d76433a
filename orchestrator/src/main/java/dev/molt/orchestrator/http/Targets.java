package dev.molt.orchestrator.http;

import dev.molt.orchestrator.rollout.OrchestratorProtocol.ClusterView;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.ReleaseVersion;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A rollout or plan target as a client names it, resolved against the releases the nodes hold:
 * a release id ({@code "game-2.0.0"}), or a version with the application beside it ({@code
 * "application": "game"}), or a bare version when exactly one application holds it. A bare version
 * several applications hold is refused with the candidates: picking one by sort order once rolled
 * out the wrong application.
 */
final class Targets {
  private Targets() {}

  static ReleaseId resolve(String target, String application, ClusterView view) throws BadInput {
    TreeSet<ReleaseId> known = new TreeSet<>();
    view.nodes().forEach(n -> n.releases().forEach(r -> known.add(r.release())));
    return resolve(target, application, known);
  }

  static ReleaseId resolve(String target, String application, Collection<ReleaseId> known) throws BadInput {
    List<ReleaseId> byId = known.stream().filter(r -> r.toString().equals(target)).toList();
    if (!byId.isEmpty()) {
      ReleaseId id = byId.get(0);
      if (application != null && !application.equals(id.name())) {
        throw BadInput.field("target '" + target + "' is a release of '" + id.name() + "', not of application '" + application + "'");
      }
      return id;
    }
    if (!ReleaseVersion.isValid(target)) {
      throw new BadInput(400, "unknown target", "no node holds a release '" + target
          + "' (a target is a release id such as \"game-2.0.0\" or a version such as \"2.0.0\"); upload it first (POST /molt/releases)");
    }
    List<ReleaseId> candidates = known.stream()
        .filter(r -> r.version().equals(target) && (application == null || r.name().equals(application)))
        .toList();
    if (candidates.isEmpty()) {
      throw new BadInput(400, "unknown target", "no node holds a release '" + target + "'"
          + (application == null ? "" : " of application '" + application + "'") + "; upload it first (POST /molt/releases)");
    }
    if (candidates.size() > 1) {
      throw new BadInput(400, "ambiguous target", "version " + target + " is held by several applications: "
          + candidates + "; name one, e.g. {\"target\": \"" + candidates.get(0) + "\"} or {\"target\": \"" + target
          + "\", \"application\": \"" + candidates.get(0).name() + "\"}");
    }
    return candidates.get(0);
  }
}
