package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded entities on two real nodes (the bank test bundles: an {@code account} entity type beside a
 * {@code branches} supervisor): one entity per id cluster-wide, reached and read through the admin
 * route from any node, upgraded by a rollout with its state; unknown addresses are 404 at once.
 */
class EntityRoutesTest {
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) static Path work;
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(work, 2, List.of());
    cluster.deploy("bank", "1.0.0", "2.0.0");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void oneEntityPerIdFromEveryNodeReadAndUpgradedWithItsState() {
    for (int i = 0; i < 10; i++) {
      // Each account gets deposits through both nodes.
      assertEquals(202, deposit(0, "acc-" + i, 10).status());
      assertEquals(202, deposit(1, "acc-" + i, i).status());
    }
    for (int i = 0; i < 10; i++) {
      int account = i;
      cluster.await("acc-" + i + " holds both deposits", () -> balance(0, "acc-" + account) == 10 + account);
      assertEquals(10 + i, balance(1, "acc-" + i), "node 2 reads the same account as node 1");
      JsonNode state = state(1, "acc-" + i);
      assertEquals("bank-1.0.0", state.path("release").asText(), state.toString());
      assertEquals(1, state.path("behaviourVersion").asInt());
      assertEquals(10 + i, state.path("state").path("balance").asLong());
      assertEquals(2, state.path("state").path("deposits").asLong(), "one actor got both deposits");
    }

    int actors = 0;
    for (JsonNode member : cluster.get(0, "/molt/cluster").path("members")) {
      actors += member.path("actors").asInt();
    }
    assertTrue(actors >= 10, "the nodes count their live entities: " + actors);

    JsonNode done = cluster.rollout(0, "{\"target\": \"bank-2.0.0\"}");
    assertEquals("completed", done.path("phase").asText(), done.toString());
    for (int i = 0; i < 10; i++) {
      for (int node = 0; node < 2; node++) {
        JsonNode state = state(node, "acc-" + i);
        assertEquals("bank-2.0.0", state.path("release").asText(), state.toString());
        assertEquals(2, state.path("behaviourVersion").asInt());
        assertEquals(10 + i, state.path("state").path("balance").asLong(), "kept across the rollout");
        assertEquals("EUR", state.path("state").path("currency").asText(), "added by 2.0.0's migration");
      }
    }
    JsonNode back = cluster.rollout(0, "{\"target\": \"bank-1.0.0\"}");
    assertEquals("completed", back.path("phase").asText(), back.toString());
    JsonNode state = state(1, "acc-3");
    assertEquals(1, state.path("behaviourVersion").asInt(), state.toString());
    assertEquals(13, state.path("state").path("balance").asLong());
  }

  @Test
  void aStateReadDoesNotStartAnEntity() {
    for (int node = 0; node < 2; node++) {
      assertProblem(cluster.getAdmin(node, "/molt/actors/account/never-used/state"), 404, "not running",
          "'account/never-used' is not running; it starts on its first message");
    }
    assertEquals(202, deposit(1, "never-used", 5).status());
    cluster.await("never-used started by its deposit", () -> balance(0, "never-used") == 5);
    assertEquals(5, state(0, "never-used").path("state").path("balance").asLong());
  }

  @Test
  void unknownAddressesAre404AndTheTreeLivesBesideTheEntities() {
    LocalCluster.Response unknown = cluster.post(0, "/molt/actors/nosuch/k", "{\"type\": \"deposit\"}");
    assertProblem(unknown, 404, "unknown actor", "no supervisor or entity type 'nosuch' runs on this node");
    assertTrue(unknown.body().path("detail").asText().contains("supervisors: [branches], entity types: [account]"),
        unknown.toString());
    assertProblem(cluster.post(1, "/molt/actors/nosuch/k?reply=true", "{\"type\": \"get\"}"), 404, "unknown actor", "'nosuch'");
    assertProblem(cluster.getAdmin(0, "/molt/actors/nosuch/k/state"), 404, "unknown actor", "'nosuch'");
    assertEquals(401, cluster.getResponse(0, "/molt/actors/account/acc-1/state").status(), "reading state is for admins");

    // The supervision tree's dynamic child of the same behaviour is another actor, on this node.
    assertEquals(202, cluster.post(0, "/molt/actors/branches/b-1",
        "{\"type\": \"deposit\", \"payload\": {\"amount\": 3}}").status());
    cluster.await("branch child started", () -> cluster.getAdmin(0, "/molt/actors/branches/b-1/state").status() == 200);
    JsonNode child = cluster.getAdmin(0, "/molt/actors/branches/b-1/state").body();
    assertEquals(3, child.path("state").path("balance").asLong(), child.toString());
    assertProblem(cluster.getAdmin(1, "/molt/actors/branches/b-1/state"), 404, "not running", "'branches/b-1'");
  }

  private static JsonNode state(int node, String account) {
    LocalCluster.Response reply = cluster.getAdmin(node, "/molt/actors/account/" + account + "/state");
    assertEquals(200, reply.status(), reply.toString());
    return reply.body();
  }

  private static LocalCluster.Response deposit(int node, String account, long amount) {
    return cluster.post(node, "/molt/actors/account/" + account, "{\"type\": \"deposit\", \"payload\": {\"amount\": " + amount + "}}");
  }

  private static long balance(int node, String account) {
    LocalCluster.Response reply = cluster.post(node, "/molt/actors/account/" + account + "?reply=true", "{\"type\": \"get\"}");
    if (reply.status() != 200) {
      throw new AssertionError("get " + account + " on node " + node + ": " + reply);
    }
    return reply.body().path("payload").path("balance").asLong();
  }

  private static void assertProblem(LocalCluster.Response response, int status, String error, String detailPart) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(error, response.body().path("error").asText(), response.toString());
    assertTrue(response.body().path("detail").asText().contains(detailPart), response.toString());
  }
}
