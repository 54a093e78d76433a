package dev.molt.orchestrator.cluster;

import static dev.molt.orchestrator.cluster.ClusterRolloutTest.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each route's happy path, each 4xx the API promises, and 401 without credentials; on a one-node cluster. */
class HttpRoutesTest {
  private static final int MAX_UPLOAD = 40_000;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) static Path work;
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(work, 1, List.of(List.of("-Dmolt.http.max-upload-bytes=" + MAX_UPLOAD)));
    assertEquals(201, cluster.upload(0, bundle("1.0.0")).status());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void mutatingRoutesNeedCredentials() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle("2.0.0"));
    assertUnauthorized(cluster.uploadBytes(0, bytes, null), "this route needs HTTP basic credentials");
    assertUnauthorized(cluster.uploadBytes(0, bytes, "admin:wrong"), "wrong user or password");
    assertUnauthorized(cluster.post(0, "/molt/rollouts", "{\"target\": \"1.0.0\"}", false), null);
    assertUnauthorized(cluster.post(0, "/molt/plan", "{\"target\": \"1.0.0\"}", false), null);
    assertUnauthorized(cluster.post(0, "/molt/rollouts/r-1/abort", "", false), null);
    assertUnauthorized(cluster.post(0, "/molt/actors/counters/k?reply=true", "{\"type\": \"get\"}", false), null);
    assertEquals(200, cluster.getResponse(0, "/molt/cluster").status(), "reading needs no credentials");
    assertEquals(200, cluster.getResponse(0, "/ready").status(), "nor do health checks");
  }

  @Test
  void uploadErrors() throws Exception {
    var notAZip = cluster.uploadBytes(0, "hello".getBytes(), "admin:" + LocalCluster.PASSWORD);
    assertProblem(notAZip, 400, "invalid bundle", "not a valid zip archive");
    assertProblem(cluster.uploadBytes(0, new byte[0], "admin:" + LocalCluster.PASSWORD), 400, "invalid bundle", "the body is empty");
    assertProblem(cluster.uploadBytes(0, new byte[MAX_UPLOAD + 1], "admin:" + LocalCluster.PASSWORD), 413, "bundle too large",
        "the limit is " + MAX_UPLOAD + " bytes");
    var same = cluster.upload(0, bundle("1.0.0"));
    assertEquals(201, same.status(), "the same bundle again is fine: " + same);
    var other = cluster.uploadBytes(0, Files.readAllBytes(otherContent(bundle("1.0.0"))), "admin:" + LocalCluster.PASSWORD);
    assertProblem(other, 409, "release exists with other content", "already stored with other content");
    assertFalse(other.text().contains("\tat "), "no stack trace");
  }

  @Test
  void releasesPlanRolloutsAndTheirErrors() throws Exception {
    JsonNode releases = cluster.get(0, "/molt/releases");
    assertEquals("counter", releases.path("releases").path(0).path("name").asText(), releases.toString());

    assertProblem(cluster.post(0, "/molt/plan", "not json"), 400, "bad request", "the body is not JSON");
    assertProblem(cluster.post(0, "/molt/plan", "{}"), 400, "bad field", "field 'target' (a release id");
    assertProblem(cluster.post(0, "/molt/plan", "{\"target\": \"9.9.9\"}"), 400, "unknown target", "9.9.9");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\": \"9.9.9\"}"), 400, "unknown target", "upload it first");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\": \"1.0.0\", \"bogus\": 1}"), 400, "bad field", "unknown field 'bogus'");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\": \"1.0.0\", \"mode\": \"fast\"}"), 400, "bad field",
        "field 'mode' must be barrier or pipelined");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\": \"1.0.0\", \"batchSize\": 0}"), 400, "bad field",
        "field 'batchSize' must be a count 1..");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\": \"1.0.0\", \"canary\": \"yes\"}"), 400, "bad field",
        "'canary' must be true or false");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\": \"1.0.0\", \"pauseBetweenBatches\": \"soon\"}"), 400,
        "bad field", "pauseBetweenBatches");

    JsonNode done = cluster.rollout(0, "{\"target\": \"1.0.0\", \"pauseBetweenBatches\": \"1s\", \"mode\": \"pipelined\"}");
    String id = done.path("id").asText();
    assertEquals("completed", done.path("phase").asText(), done.toString());
    assertEquals(200, cluster.getResponse(0, "/molt/rollouts/" + id).status());
    assertProblem(cluster.getResponse(0, "/molt/rollouts/nope"), 404, "unknown rollout", "nope");
    assertProblem(cluster.post(0, "/molt/rollouts/" + id + "/frobnicate", ""), 404, "unknown action", "frobnicate");
    assertProblem(cluster.post(0, "/molt/rollouts/" + id + "/promote", ""), 409, "wrong phase", "is completed");
    assertTrue(cluster.get(0, "/molt/rollouts").path("rollouts").size() >= 1);

    assertEquals(201, cluster.upload(0, bundle("2.0.0")).status());
    var plan = cluster.post(0, "/molt/plan", "{\"target\": \"2.0.0\"}");
    assertEquals(200, plan.status(), plan.toString());
    String text = plan.body().path("plans").elements().next().asText();
    assertTrue(text.contains("change-code counter v1 -> v2 (up, load-then-migrate)") && text.contains("start-child counters/census"), text);
    JsonNode view = cluster.get(0, "/molt/cluster");
    assertEquals("counter-1.0.0", view.path("members").path(0).path("running").asText(), "a plan changes nothing");
    assertEquals("[{\"name\":\"counter\",\"startType\":\"permanent\",\"state\":\"running\",\"reason\":null}]",
        view.path("members").path(0).path("applications").toString(), "a single-tree release is one application");

    var reply = cluster.post(0, "/molt/actors/counters/k?reply=true", "{\"type\": \"get\"}");
    assertEquals(200, reply.status(), reply.toString());
    assertEquals("counter", reply.body().path("type").asText());
    assertProblem(cluster.post(0, "/molt/actors/counters/k", "{\"payload\": {}}"), 400, "bad field", "field 'type'");
    var unknownType = cluster.post(0, "/molt/actors/counters/k?reply=true", "{\"type\": \"reset\"}");
    assertEquals(409, unknownType.status(), "a rejected message comes back as such: " + unknownType);
    assertEquals("molt.rejected", unknownType.body().path("type").asText());
  }

  /** Inputs that once ended the node's JVM or stopped the singleton: refused, and both serve on. */
  @Test
  void crashInputsAreRefusedAndTheNodeAndOrchestratorServeOn() throws Exception {
    String deep = "{\"type\": \"get\", \"payload\": {\"x\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}}";
    assertProblem(cluster.post(0, "/molt/actors/counters/k?reply=true", deep), 400, "body too deep", "molt.http.max-json-depth");
    assertProblem(cluster.post(0, "/molt/rollouts", "{\"target\":\"1.0.0\",\"batchSize\":1,\"pauseBetweenBatches\":\"30000000s\"}"),
        400, "bad field", "(molt.orchestrator.max-pause-between-batches)");
    assertProblem(cluster.post(0, "/molt/actors/counters/k?reply=true", "{\"type\": \"get\", \"schemaVersion\": 99}"), 409,
        "unknown schema version", "the schema versions known are 1");

    var reply = cluster.post(0, "/molt/actors/counters/k?reply=true", "{\"type\": \"get\"}");
    assertEquals(200, reply.status(), "the node serves: " + reply);
    JsonNode done = cluster.rollout(0, "{\"target\": \"counter-1.0.0\"}");
    assertEquals("completed", done.path("phase").asText(), "the orchestrator serves: " + done);
  }

  private static void assertUnauthorized(LocalCluster.Response response, String detail) {
    assertEquals(401, response.status(), response.toString());
    assertEquals("unauthorized", response.body().path("error").asText(), response.toString());
    if (detail != null) {
      assertEquals(detail, response.body().path("detail").asText());
    }
  }

  private static void assertProblem(LocalCluster.Response response, int status, String error, String detailPart) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(error, response.body().path("error").asText(), response.toString());
    assertTrue(response.body().path("detail").asText().contains(detailPart), response.toString());
  }

  /** The same release name and version with different content, signed as the original. */
  private static Path otherContent(Path bundle) throws Exception {
    Path rebuilt = BundleCopies.withExtraEntry(bundle, work.resolve("rebuilt/" + bundle.getFileName()));
    return BundleCopies.signedBy(rebuilt, BundleCopies.devKey(), rebuilt);
  }
}
