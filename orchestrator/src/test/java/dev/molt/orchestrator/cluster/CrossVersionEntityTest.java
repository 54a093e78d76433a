package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * cluster's floor). Once promoted and completed the floor is lifted and 2.0.0 writes schema 2.
 */
class CrossVersionEntityTest {
  private static final int ACCOUNTS = 12;
  private static final long OPENING = 1000;
  private static final int ROUNDS = 6;
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) static Path work;
  private static LocalCluster cluster;

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
    }
    for (int i = 0; i < ACCOUNTS; i++) {
      String account = "acc-" + i;
      cluster.await(account + " opened", () -> cents(0, account) == OPENING);
    }

    var started = cluster.post(0, "/molt/rollouts",
        "{\"target\": \"ledger-2.0.0\", \"batchSize\": 1, \"canary\": true}");
    assertEquals(202, started.status(), started.toString());
    String id = started.body().path("id").asText();
    JsonNode paused = cluster.awaitRolloutPhase(0, id, "paused");
    assertEquals(1, paused.path("batch").asInt(), "the canary batch ran, then it waits: " + paused);

    // Where each account lives: the release its host runs (only the canary node runs 2.0.0).
    List<String> upgraded = new ArrayList<>();
    List<String> old = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      String release = state(i % 3, "acc-" + i).path("release").asText();
      (release.equals("ledger-2.0.0") ? upgraded : old).add("acc-" + i);
    }
    assertTrue(upgraded.size() >= 2 && !old.isEmpty(),
        "accounts on the canary node " + upgraded + " and on the others " + old + " (10 shards over 3 nodes)");
    String onNew = upgraded.get(0);
    String otherOnNew = upgraded.get(1);
    String onOld = old.get(0);

    // Both directions, each transfer posted through a different node (the route reaches the entity
    // wherever it lives); the upgraded side names a currency v1 cannot carry.
    for (int r = 0; r < ROUNDS; r++) {
      assertEquals(202, transfer(r % 3, onNew, onOld, 100, "CHF").status());
      assertEquals(202, transfer((r + 1) % 3, onOld, onNew, 30, null).status());
    }
    assertEquals(202, transfer(2, onNew, otherOnNew, 7, "CHF").status());
    long newExpected = OPENING - ROUNDS * 100 + ROUNDS * 30 - 7;
    long oldExpected = OPENING + ROUNDS * 100 - ROUNDS * 30;
    cluster.await("mid-rollout transfers arrived", () -> cents(1, onNew) == newExpected
        && cents(2, onOld) == oldExpected && cents(0, otherOnNew) == OPENING + 7);

    JsonNode oldState = state(0, onOld);
    assertEquals("ledger-1.0.0", oldState.path("release").asText(), "not moved, not upgraded: " + oldState);
    assertEquals(oldExpected, oldState.path("state").path("cents").asLong(),
        "v1 read every deposit v2 wrote (a schema-2 deposit has no 'cents' and would read 0): " + oldState);
    JsonNode newState = state(1, onNew);
    assertEquals("ledger-2.0.0", newState.path("release").asText(), newState.toString());
    assertEquals("EUR", newState.path("state").path("lastCurrency").asText(),
        "v1's schema-1 deposit migrated up by v2: " + newState);
    JsonNode sameVersion = state(2, otherOnNew);
    assertEquals("EUR", sameVersion.path("state").path("lastCurrency").asText(),
        "under the floor even v2 -> v2 is written in schema 1 (its CHF dropped): " + sameVersion);

    var promoted = cluster.post(1, "/molt/rollouts/" + id + "/promote", "");
    assertEquals(200, promoted.status(), promoted.toString());
    JsonNode done = cluster.awaitRollout(0, id);
    assertEquals("completed", done.path("phase").asText(), done.toString());
    for (NodeProcess node : cluster.nodes) {
      node.awaitLog("schema floor of ledger lifted");
    }

    // 2.0.0 everywhere and permanent: the new shape is written, its currency carried.
    assertEquals(202, transfer(0, onOld, onNew, 11, "CHF").status());
    cluster.await("the schema-2 deposit arrived", () -> cents(2, onNew) == newExpected + 11);
    JsonNode after = state(2, onNew);
    assertEquals("CHF", after.path("state").path("lastCurrency").asText(), "written in schema 2: " + after);
    assertEquals(oldExpected - 11, state(1, onOld).path("state").path("cents").asLong());
    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++) {
      JsonNode s = state(i % 3, "acc-" + i);
      assertEquals("ledger-2.0.0", s.path("release").asText(), s.toString());
      total += s.path("state").path("cents").asLong();
    }
    assertEquals(ACCOUNTS * OPENING, total, "no cent created or lost");
  }

  private static LocalCluster.Response transfer(int node, String from, String to, long cents, String currency) {
    String currencyField = currency == null ? "" : ", \"currency\": \"" + currency + "\"";
    return post(node, from, "transfer", "{\"to\": \"" + to + "\", \"cents\": " + cents + currencyField + "}");
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
