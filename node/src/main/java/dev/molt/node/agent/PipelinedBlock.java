package dev.molt.node.agent;

import dev.molt.node.host.CodeChange;
import dev.molt.node.supervision.ApplicationTree;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One block of a {@link PipelinedChange}: its hosts, the phase it is in, and that phase's round.
 * Only the install thread reads and writes it; the hosts' answers go into the round, which each
 * answer ref holds on its own.
 */
final class PipelinedBlock {
  /** A host that gave no reply: stopped, or the step's time ran out. */
  record Miss(String error) {}

  enum Phase { LENDING, CHANGING_FAILED_FIRST, CHANGING }

  /** The hosts of a block asked in one phase, and their answers. */
  record Round(List<Integer> asked, AtomicReferenceArray<Object> answers, AtomicInteger pending) {
    Round(List<Integer> asked) {
      this(asked, new AtomicReferenceArray<>(asked.size()), new AtomicInteger(asked.size()));
    }
  }

  final int index;
  final List<ApplicationTree.Host> hosts;
  Phase phase = Phase.LENDING;
  Round round;
  List<CodeChange.Prepared> prepared;
  List<Integer> others;

  PipelinedBlock(int index, List<ApplicationTree.Host> hosts) {
    this.index = index;
    this.hosts = hosts;
  }
}
