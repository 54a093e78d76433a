package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages between versions across nodes, mid-rollout, on three real nodes (the ledger test bundles:
 * {@code account} entities whose {@code transfer} sends a {@code deposit} to another account
 * through sharding; {@code deposit} is {@code {from, cents}} in 1.0.0 and {@code {from, amount:
 * {cents, currency}}} in 2.0.0). With a canary rollout to 2.0.0 paused after one node, transfers
 * cross between an account on the upgraded node and one on a node still on 1.0.0, both ways: none
 * is lost or misread (balances exact), because the upgraded node writes deposits in schema 1 (the
 * cluster's floor). Once promoted and completed the floor is lifted and 2.0.0 writes schema 2. The
 * way back (a rollout to 1.0.0 paused after one node) lowers the floor again: the same, mirrored.
 */
class CrossVersionEntityTest {
  private static final int ACCOUNTS = 12;
  private static final long OPENING = 1000;
  private static final int ROUNDS = 6;
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) static Path work;
  private static LocalCluster cluster;
  /** What each account must hold: every transfer accepted by the route is counted here. */
  private final Map<String, Long> expected = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(work, 3, List.of());
    cluster.deploy("ledger", "1.0.0", "2.0.0");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void transfersCrossVersionsBothWaysMidRolloutAndTheNewShapeOnceCompleted() throws Exception {
    for (int i = 0; i < ACCOUNTS; i++) {
      // Opens every account (its shard is allocated to some node) through a different node each.
      assertEquals(202, post(i % 3, "acc-" + i, "deposit", "{\"from\": \"bank\", \"cents\": " + OPENING + "}").status());
      expected.put("acc-" + i, OPENING);
    }
    awaitBalances("accounts opened");

    String up = pausedCanary("ledger-2.0.0");
    crossBothWays("ledger-2.0.0", "ledger-1.0.0");
    completeAndAwaitFloorLifted(up);

    // 2.0.0 everywhere and permanent: the new shape is written, its currency carried.
    assertEquals(202, transfer(0, "acc-1", "acc-2", 11, "CHF").status());
    awaitBalances("the schema-2 deposit arrived");
    JsonNode after = state(2, "acc-2");
    assertEquals("CHF", after.path("state").path("lastCurrency").asText(), "written in schema 2: " + after);
    assertAllOn("ledger-2.0.0");

    // The way back: the floor is 1.0.0 again while the cluster is mixed.
    String down = pausedCanary("ledger-1.0.0");
    crossBothWays("ledger-2.0.0", "ledger-1.0.0");
    completeAndAwaitFloorLifted(down);
    assertAllOn("ledger-1.0.0");
  }

  /**
   * Starts a canary rollout to {@code target} in batches of one and waits until it pauses after the
   * first node. Nothing waits for the floor (1.0.0) to reach the nodes: the runner confirms it on
   * every node before the canary installs (gossip alone reached a node 0.1-0.4 s after the canary
   * ran the other version, and a transfer written in schema 2 meanwhile read 0 cents on 1.0.0), so
   * by the time it paused every node has logged its confirmation, and the orchestrator 3/3.
   */
  private static String pausedCanary(String target) throws InterruptedException {
    String confirmed = "schema floor of ledger: ledger-1.0.0 confirmed on this node";
    String confirmedOnAll = "schema floor of ledger: ledger-1.0.0 confirmed on 3/3 nodes";
    List<Long> before = cluster.nodes.stream().map(n -> n.countLog(confirmed)).toList();
    long allBefore = cluster.nodes.stream().mapToLong(n -> n.countLog(confirmedOnAll)).sum();
    var started = cluster.post(0, "/molt/rollouts", "{\"target\": \"" + target + "\", \"batchSize\": 1, \"canary\": true}");
    assertEquals(202, started.status(), started.toString());
    String id = started.body().path("id").asText();
    JsonNode paused = cluster.awaitRolloutPhase(0, id, "paused");
    assertEquals(1, paused.path("batch").asInt(), "the canary batch ran, then it waits: " + paused);
    for (int n = 0; n < cluster.nodes.size(); n++) {
      assertTrue(cluster.nodes.get(n).countLog(confirmed) > before.get(n),
          "node " + n + " confirmed the floor before the canary installed");
    }
    assertEquals(allBefore + 1, cluster.nodes.stream().mapToLong(n -> n.countLog(confirmedOnAll)).sum(),
        "the orchestrator confirmed the floor on every node once, before the first batch");
    return id;
  }

  /**
   * With the cluster mixed, transfers between an account on a node running {@code newer} and one on
   * a node running {@code older}, both ways, each posted through a different node (the route reaches
   * the entity wherever it lives); the newer side names a currency the older cannot carry.
   */
  private void crossBothWays(String newer, String older) {
    // Where each account lives: the release its host runs.
    List<String> onNewer = new ArrayList<>();
    List<String> onOlder = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      String release = state(i % 3, "acc-" + i).path("release").asText();
      (release.equals(newer) ? onNewer : onOlder).add("acc-" + i);
    }
    assertTrue(onNewer.size() >= 2 && !onOlder.isEmpty(),
        "accounts on " + newer + " " + onNewer + " and on " + older + " " + onOlder + " (10 shards over 3 nodes)");
    String a = onNewer.get(0);
    String b = onOlder.get(0);
    for (int r = 0; r < ROUNDS; r++) {
      assertEquals(202, transfer(r % 3, a, b, 100, "CHF").status());
      assertEquals(202, transfer((r + 1) % 3, b, a, 30, null).status());
    }
    assertEquals(202, transfer(2, a, onNewer.get(1), 7, "CHF").status());
    awaitBalances("mid-rollout transfers between " + newer + " and " + older);

    JsonNode olderState = state(0, b);
    assertEquals(older, olderState.path("release").asText(), "not moved: " + olderState);
    assertEquals(expected.get(b), olderState.path("state").path("cents").asLong(),
        "the older version read every deposit the newer wrote (a schema-2 deposit has no 'cents' and would read 0): "
            + olderState);
    JsonNode newerState = state(1, a);
    assertEquals(newer, newerState.path("release").asText(), "not moved: " + newerState);
    assertEquals("EUR", newerState.path("state").path("lastCurrency").asText(),
        "the older version's schema-1 deposit migrated up: " + newerState);
    JsonNode sameVersion = state(2, onNewer.get(1));
    assertEquals("EUR", sameVersion.path("state").path("lastCurrency").asText(),
        "under the floor even newer -> newer is written in schema 1 (its CHF dropped): " + sameVersion);
  }

  private static void completeAndAwaitFloorLifted(String id) throws InterruptedException {
    String lifted = "schema floor of ledger lifted";
    List<Long> before = cluster.nodes.stream().map(n -> n.countLog(lifted)).toList();
    var promoted = cluster.post(1, "/molt/rollouts/" + id + "/promote", "");
    assertEquals(200, promoted.status(), promoted.toString());
    JsonNode done = cluster.awaitRollout(0, id);
    assertEquals("completed", done.path("phase").asText(), done.toString());
    for (int n = 0; n < cluster.nodes.size(); n++) {
      cluster.nodes.get(n).awaitLog(lifted, before.get(n) + 1);
    }
  }

  private void assertAllOn(String release) {
    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++) {
      JsonNode s = state(i % 3, "acc-" + i);
      assertEquals(release, s.path("release").asText(), s.toString());
      assertEquals(expected.get("acc-" + i), s.path("state").path("cents").asLong(), s.toString());
      total += s.path("state").path("cents").asLong();
    }
    assertEquals(ACCOUNTS * OPENING, total, "no cent created or lost");
  }

  private void awaitBalances(String what) {
    cluster.await(what + ": balances " + expected, () -> expected.entrySet().stream()
        .allMatch(e -> cents(0, e.getKey()) == e.getValue()));
  }

  private LocalCluster.Response transfer(int node, String from, String to, long cents, String currency) {
    String currencyField = currency == null ? "" : ", \"currency\": \"" + currency + "\"";
    LocalCluster.Response accepted = post(node, from, "transfer", "{\"to\": \"" + to + "\", \"cents\": " + cents + currencyField + "}");
    if (accepted.status() == 202) {
      expected.merge(from, -cents, Long::sum);
      expected.merge(to, cents, Long::sum);
    }
    return accepted;
  }

  private static LocalCluster.Response post(int node, String account, String type, String payload) {
    return cluster.post(node, "/molt/actors/account/" + account, "{\"type\": \"" + type + "\", \"payload\": " + payload + "}");
  }

  private static JsonNode state(int node, String account) {
    LocalCluster.Response reply = cluster.getAdmin(node, "/molt/actors/account/" + account + "/state");
    assertEquals(200, reply.status(), reply.toString());
    return reply.body();
  }

  /** The balance, or -1 while the account is not running yet (its first message still on the way). */
  private static long cents(int node, String account) {
    LocalCluster.Response reply = cluster.getAdmin(node, "/molt/actors/account/" + account + "/state");
    return reply.status() == 200 ? reply.body().path("state").path("cents").asLong() : -1;
  }
}
