package dev.molt.orchestrator.rollout;

import dev.molt.orchestrator.rollout.OrchestratorProtocol.Accepted;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Problem;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.Reply;
import dev.molt.orchestrator.rollout.OrchestratorProtocol.RolloutView;
import java.util.Collection;
import java.util.Optional;

/**
 * Client request ids (HTTP {@code Idempotency-Key}) of rollout starts and controls. The first
 * answer to an id is kept with its rollout (so in Distributed Data, and across a singleton
 * hand-over); a repeat gets that answer again — the same status, and for a success the rollout as
 * it is now — and applies nothing. An id reused for another action is refused.
 */
final class RequestIds {
  private RequestIds() {}

  /** The answer to a start whose id a rollout already carries, if any. */
  static Optional<Reply> startedBy(Collection<Rollout> rollouts, String requestId) {
    if (requestId == null) {
      return Optional.empty();
    }
    for (Rollout rollout : rollouts) {
      Rollout.RequestRecord record = rollout.requests().get(requestId);
      if (record != null) {
        return Optional.of(record.action() == RequestedAction.START ? new Accepted(rollout.id()) : reused(requestId, record, RequestedAction.START));
      }
    }
    return Optional.empty();
  }

  /** The first answer to {@code requestId} on this rollout, if it was seen. */
  static Optional<Reply> repeat(Rollout rollout, String requestId, RequestedAction action) {
    Rollout.RequestRecord record = requestId == null ? null : rollout.requests().get(requestId);
    if (record == null) {
      return Optional.empty();
    }
    if (record.action() != action) {
      return Optional.of(reused(requestId, record, action));
    }
    return Optional.of(record.status() < 300 ? new RolloutView(rollout)
        : new Problem(record.status(), record.error(), record.detail()));
  }

  static Rollout.RequestRecord record(RequestedAction action, Reply reply) {
    return reply instanceof Problem p ? new Rollout.RequestRecord(action, p.status(), p.error(), p.detail())
        : new Rollout.RequestRecord(action, 200, null, null);
  }

  private static Problem reused(String requestId, Rollout.RequestRecord record, RequestedAction action) {
    return new Problem(422, "request id reused", "Idempotency-Key '" + requestId + "' was used for '" + record.action()
        + "', not '" + action + "'; use a new key for a new request");
  }
}
