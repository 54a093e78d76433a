package dev.molt.protocol.relup;

import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import java.util.stream.Collectors;

/** A whole plan: one script per hop; more than one when the path goes through other releases. */
public record Relup(List<RelupScript> hops) {
  public Relup {
    hops = List.copyOf(hops);
    if (hops.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one hop");
    }
  }

  public ReleaseId from() {
    return hops.get(0).from();
  }

  public ReleaseId to() {
    return hops.get(hops.size() - 1).to();
  }

  public String render() {
    return hops.stream().map(RelupScript::render).collect(Collectors.joining());
  }
}
