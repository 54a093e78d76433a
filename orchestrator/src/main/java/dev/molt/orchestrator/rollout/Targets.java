package dev.molt.orchestrator.rollout;

import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.protocol.control.ControlMessages.NodeStatus;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.ReleaseVersion;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A {@link TargetRequest} resolved against the releases the nodes hold: a release id, or a version
 * with the application beside it, or a bare version when exactly one application holds it. A bare
 * version several applications hold is refused with the candidates: picking one by sort order once
 * rolled out the wrong application. Pure; the orchestrator calls it with the statuses it gathered.
 */
public final class Targets {
  private Targets() {}

  /** A target not resolved, with the client's problem (400) naming why and what would do. */
  public static final class Unresolved extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Unresolved(String error, String detail) {
      super(detail, null, false, false);
      this.problem = new Problem(400, error, detail);
    }

    public Problem problem() {
      return problem;
    }
  }

  /** {@code request} against what the nodes of {@code statuses} hold. */
  public static ReleaseId resolve(TargetRequest request, Collection<NodeStatus> statuses) throws Unresolved {
    TreeSet<ReleaseId> known = new TreeSet<>();
    statuses.forEach(n -> n.releases().forEach(r -> known.add(r.release())));
    return resolve(request.target(), request.application(), known);
  }

  static ReleaseId resolve(String target, String application, Collection<ReleaseId> known) throws Unresolved {
    List<ReleaseId> byId = known.stream().filter(r -> r.toString().equals(target)).toList();
    if (!byId.isEmpty()) {
      ReleaseId id = byId.get(0);
      if (application != null && !application.equals(id.name())) {
        throw new Unresolved("bad field", "target '" + target + "' is a release of '" + id.name()
            + "', not of application '" + application + "'");
      }
      return id;
    }
    if (!ReleaseVersion.isValid(target)) {
      throw new Unresolved("unknown target", "no node holds a release '" + target
          + "' (a target is a release id such as \"game-2.0.0\" or a version such as \"2.0.0\"); upload it first (POST /molt/releases)");
    }
    List<ReleaseId> candidates = known.stream()
        .filter(r -> r.version().equals(target) && (application == null || r.name().equals(application)))
        .toList();
    if (candidates.isEmpty()) {
      throw new Unresolved("unknown target", "no node holds a release '" + target + "'"
          + (application == null ? "" : " of application '" + application + "'") + "; upload it first (POST /molt/releases)");
    }
    if (candidates.size() > 1) {
      throw new Unresolved("ambiguous target", "version " + target + " is held by several applications: "
          + candidates + "; name one, e.g. {\"target\": \"" + candidates.get(0) + "\"} or {\"target\": \"" + target
          + "\", \"application\": \"" + candidates.get(0).name() + "\"}");
    }
    return candidates.get(0);
  }
}
