package dev.molt.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.relup.Direction;
import dev.molt.protocol.relup.LoadOrder;
import dev.molt.protocol.relup.RelupScript;
import dev.molt.protocol.relup.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A change resumes its hosts in its own message only when nothing of its block can fail after it
 * and the compiler's resume order is kept: the block's Resume is the very next step and names its
 * behaviour first. Before, the first change of a two-behaviour block resumed too, serving on new
 * code while the second change could still fail (the revert was then not exact).
 */
class ResumeWithChangeTest {
  private static final ReleaseId V1 = new ReleaseId("shop", "1.0.0");
  private static final ReleaseId V2 = new ReleaseId("shop", "2.0.0");

  @Test
  void aBlockOfOneResumesInItsChange() {
    Step.ChangeCode cart = change("cart", Direction.UP);
    RelupScript hop = script(Direction.UP, new Step.Suspend(List.of("cart"), Map.of()), cart,
        new Step.Resume(List.of("cart")));
    assertEquals(List.of(true), folds(hop, cart));
  }

  @Test
  void anUpgradeBlockOfTwoResumesInNoChange() {
    // As DependencyBlocks emits an upgrade of cart depending on stock: changes reversed, resume reversed.
    Step.ChangeCode stock = change("stock", Direction.UP);
    Step.ChangeCode cart = change("cart", Direction.UP);
    RelupScript hop = script(Direction.UP, new Step.Suspend(List.of("cart", "stock"), Map.of()), stock, cart,
        new Step.Resume(List.of("stock", "cart")));
    assertEquals(List.of(false, false), folds(hop, stock, cart));
  }

  @Test
  void aDowngradeBlockOfTwoResumesOnlyItsLastChangeWhichTheCompilerResumesFirst() {
    Step.ChangeCode cart = change("cart", Direction.DOWN);
    Step.ChangeCode stock = change("stock", Direction.DOWN);
    RelupScript hop = script(Direction.DOWN, new Step.Suspend(List.of("cart", "stock"), Map.of()), cart, stock,
        new Step.Resume(List.of("stock", "cart")));
    assertEquals(List.of(false, true), folds(hop, cart, stock));
  }

  private static List<Boolean> folds(RelupScript hop, Step.ChangeCode... changes) {
    List<Boolean> folds = new ArrayList<>();
    for (Step.ChangeCode change : changes) {
      folds.add(ScriptRunner.resumesRightAfter(hop, change));
    }
    return folds;
  }

  private static Step.ChangeCode change(String behaviour, Direction direction) {
    return new Step.ChangeCode(behaviour, direction == Direction.UP ? 1 : 2, direction == Direction.UP ? 2 : 1,
        direction, JsonNodeFactory.instance.objectNode(), LoadOrder.LOAD_THEN_MIGRATE);
  }

  private static RelupScript script(Direction direction, Step... commit) {
    List<Step> steps = new ArrayList<>(List.of(new Step.PointOfNoReturn()));
    steps.addAll(List.of(commit));
    return direction == Direction.UP ? new RelupScript(V1, V2, direction, true, steps)
        : new RelupScript(V2, V1, direction, true, steps);
  }
}
