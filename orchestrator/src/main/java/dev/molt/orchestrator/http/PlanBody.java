package dev.molt.orchestrator.http;

import dev.molt.orchestrator.rollout.TargetRequest;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.util.Map;

/**
 * The body of {@code POST /molt/plan}: the target as the client named it (only the orchestrator
 * resolves it), and optionally its application. A rollout's body starts with the same two fields.
 */
record PlanBody(String target, String application) {
  static final String TARGET_RULE = "a release id such as \"game-2.0.0\", or a version such as \"2.0.0\"";
  static final String APPLICATION_RULE = "an application name such as \"game\"";
  static final BodyType<PlanBody> TYPE =
      new BodyType<>(PlanBody.class, Map.of("target", TARGET_RULE, "application", APPLICATION_RULE), "plan fields");

  PlanBody {
    check(target, application);
  }

  /** The target's and the application's checks, for every body that names a target. */
  static void check(String target, String application) {
    Fields.text("target", target, TARGET_RULE, true);
    Fields.text("application", application, APPLICATION_RULE, false);
    if (application != null && !ReleaseDescriptors.isValidName(application)) {
      throw new IllegalArgumentException("field 'application' must match " + ReleaseDescriptors.NAME_PATTERN
          + ", was '" + Fields.abbreviate(application) + "'");
    }
  }

  TargetRequest targetRequest() {
    return new TargetRequest(target, application);
  }
}
