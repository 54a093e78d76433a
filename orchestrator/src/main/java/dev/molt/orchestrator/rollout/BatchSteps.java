package dev.molt.orchestrator.rollout;

import dev.molt.protocol.control.ControlMessages.InstallResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The installs of one batch in flight: which nodes still owe an answer, their results, and the
 * nodes whose install failed without one ({@link Lost}: no answer in time, or cluster membership
 * said they were removed, or stayed unreachable too long). The batch is done when no node is pending; a late answer from a node
 * already failed is ignored, so each node ends with exactly one outcome.
 */
final class BatchSteps {
  final int batch;
  private final Set<String> pending;
  private final Map<String, InstallResult> answers = new LinkedHashMap<>();
  private final Map<String, String> failed = new LinkedHashMap<>();
  private final Set<String> lostToMembership = new TreeSet<>();

  /** How a node's install ended without an answer. */
  enum Lost {
    /** The ask timed out ({@code molt.orchestrator.install-timeout}) or failed. */
    NO_ANSWER,
    /** Cluster membership said the node was removed, or unreachable past the wait. */
    MEMBERSHIP
  }

  BatchSteps(int batch, Set<String> nodes) {
    this.batch = batch;
    this.pending = new TreeSet<>(nodes);
  }

  boolean pending(String node) {
    return pending.contains(node);
  }

  /** Records an answer; false when the node was not pending (already failed, or not in the batch). */
  boolean answered(String node, InstallResult result) {
    if (!pending.remove(node)) {
      return false;
    }
    answers.put(node, result);
    return true;
  }

  /** The node's install failed without an answer; false when it had already ended. */
  boolean failed(String node, Lost how, String reason) {
    if (!pending.remove(node)) {
      return false;
    }
    failed.put(node, reason);
    if (how == Lost.MEMBERSHIP) {
      lostToMembership.add(node);
    }
    return true;
  }

  /** Some node of the batch was failed by cluster membership, not by its own answer or silence. */
  boolean anyLostToMembership() {
    return !lostToMembership.isEmpty();
  }

  /** The nodes that still owe an answer. */
  Set<String> pendingNodes() {
    return Set.copyOf(pending);
  }

  boolean done() {
    return pending.isEmpty();
  }

  Map<String, InstallResult> answers() {
    return Map.copyOf(answers);
  }

  /** Nodes without an answer, with the reason; their install may or may not have happened. */
  Map<String, String> failures() {
    return new LinkedHashMap<>(failed);
  }
}
