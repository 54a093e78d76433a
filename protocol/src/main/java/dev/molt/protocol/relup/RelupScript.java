package dev.molt.protocol.relup;

import dev.molt.protocol.release.ReleaseId;
import java.util.List;

/** The compiled script of one hop, from one release to a neighbouring one, in one direction. */
public record RelupScript(ReleaseId from, ReleaseId to, Direction direction, boolean generated, List<Step> steps) {

  public RelupScript {
    steps = List.copyOf(steps);
  }

  public boolean upgrade() {
    return direction == Direction.UP;
  }

  /**
   * Steps before the point of no return: only load, the author's hooks written before a
   * point-of-no-return instruction, verify and warm; a failure among them leaves the node as it was. The node's script runner runs these, passes the point, then {@link #commit}.
   */
  public List<Step> prepare() {
    return steps.subList(0, pointOfNoReturn());
  }

  /** Steps after the point of no return. */
  public List<Step> commit() {
    return steps.subList(pointOfNoReturn() + 1, steps.size());
  }

  private int pointOfNoReturn() {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof Step.PointOfNoReturn) {
        return i;
      }
    }
    throw new IllegalStateException("script " + from + " -> " + to + " has no point-of-no-return");
  }

  public String render() {
    StringBuilder text = new StringBuilder();
    text.append(direction).append(' ').append(from).append(" -> ").append(to)
        .append(generated ? " (generated from the descriptors)" : " (explicit instructions)").append('\n');
    for (int i = 0; i < steps.size(); i++) {
      text.append(String.format("  %2d. %s%n", i + 1, steps.get(i).describe()));
    }
    return text.toString();
  }
}
