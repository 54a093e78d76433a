package dev.molt.orchestrator.rollout;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a client may ask of a rollout ({@code POST /molt/rollouts/{id}/{action}}). Parsed once, at the edge. */
public enum ControlAction {
  PAUSE("pause"),
  RESUME("resume"),
  PROMOTE("promote"),
  ABORT("abort"),
  ROLLBACK("rollback");

  /** The names clients use, in this order (error texts list them). */
  public static final List<String> NAMES = Arrays.stream(values()).map(ControlAction::wireName).toList();

  private final String wireName;

  ControlAction(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public static Optional<ControlAction> parse(String name) {
    return Arrays.stream(values()).filter(a -> a.wireName.equals(name)).findFirst();
  }


  @Override
  public String toString() {
    return wireName;
  }
}
