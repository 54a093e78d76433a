package dev.molt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.deploy.load.ScoreLoad;
import dev.molt.orchestrator.cluster.LocalCluster;
import java.net.URI;

/** The load client as the game's cluster tests drive it: each room's scores spread over every node's application port. */
final class GameLoad {
  private GameLoad() {}

  static ScoreLoad start(LocalCluster cluster, int rooms, int playersPerRoom, int workers) {
    var apps = cluster.nodes.stream().map(n -> URI.create("http://127.0.0.1:" + n.appPort)).toList();
    ScoreLoad load = new ScoreLoad(apps, rooms, playersPerRoom, workers, ScoreLoad.Spread.ALL_NODES);
    load.start();
    return load;
  }

  /** Waits until 50 more scores than now are acknowledged. */
  static void flowing(LocalCluster cluster, ScoreLoad load, String what) {
    long now = load.acked();
    cluster.await(what, () -> load.acked() > now + 50);
  }

  /** Stops the load and checks that every acknowledged score is in its room; prints the result under {@code label}. */
  static ScoreLoad.Result stopAndVerify(ScoreLoad load, String label) {
    ScoreLoad.Result result = load.stopAndVerify();
    System.out.println("[" + label + "] " + result);
    assertEquals(0, result.lost(), result.toString());
    assertEquals("", result.problems(), result.toString());
    return result;
  }
}
