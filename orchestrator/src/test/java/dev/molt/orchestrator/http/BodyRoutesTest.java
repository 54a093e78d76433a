package dev.molt.orchestrator.http;

import static dev.molt.orchestrator.http.StandInOrchestrator.GAME_2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.RequestEntity;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.orchestrator.http.StandInRoutes.Reply;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.envelope.Envelope;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three JSON bodies ({@code POST /molt/plan}, {@code /molt/rollouts}, {@code
 * /molt/actors/{name}/{key}}) through their unmarshallers, with Akka HTTP's route test kit and
 * stand-ins for the singleton and the node agent, no server bound: a good body reaches the
 * stand-in as its record; each bad one is refused with its exact detail, counted, and nothing
 * reaches a stand-in.
 */
class BodyRoutesTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final String TARGET_REQUIRED =
      "field 'target' (a release id such as \"game-2.0.0\", or a version such as \"2.0.0\") is required";
  @RegisterExtension
  static final StandInRoutes routes = new StandInRoutes("body-routes");
  /** What reached the stand-ins: rollout specs, plan targets, delivered envelopes. */
  private static final LinkedBlockingQueue<Object> received = routes.received;
  private static final List<String> PATHS = List.of("/molt/plan", "/molt/rollouts", "/molt/actors/rooms/r1");

  @Test
  void eachGoodBodyReachesItsActorAsItsRecord() throws Exception {
    Reply started = post("/molt/rollouts", "{\"target\":\"2.0.0\",\"application\":\"game\",\"batchSize\":\"34%\","
        + "\"canary\":false,\"pauseBetweenBatches\":1500,\"mode\":\"pipelined\",\"autoRollback\":false}");
    assertEquals(202, started.status(), started.toString());
    assertEquals(new RolloutSpec(GAME_2, "34%", false, 1_500, InstallMode.PIPELINED, false), received.poll(5, TimeUnit.SECONDS));

    Reply planned = post("/molt/plan", "{\"target\":\"game-2.0.0\",\"application\":null}");
    assertEquals(200, planned.status(), planned.toString());
    assertEquals(GAME_2, received.poll(5, TimeUnit.SECONDS));

    Reply delivered = post("/molt/actors/rooms/r1", "{\"type\":\"score\",\"schemaVersion\":1,\"payload\":{\"points\":5}}");
    assertEquals(202, delivered.status(), delivered.toString());
    assertEquals(new Envelope("score", 1, json.createObjectNode().put("points", 5)), received.poll(5, TimeUnit.SECONDS));
    Reply toldExplicitly = post("/molt/actors/rooms/r1?reply=false", "{\"type\":\"score\",\"payload\":{\"points\":6}}");
    assertEquals(202, toldExplicitly.status(), toldExplicitly.toString());
    assertEquals(new Envelope("score", 1, json.createObjectNode().put("points", 6)), received.poll(5, TimeUnit.SECONDS));
    assertNothingReachedTheStandIns();
  }

  @Test
  void aBadFieldIsRefusedWithItsNameItsRuleAndTheValueAndCounted() throws Exception {
    Map<String, Long> before = routes.routes.refusals().counts();
    refused("/molt/rollouts", "{\"target\":\"t\",\"canary\":\"true\"}", "field 'canary' must be true or false, was \"true\"");
    refused("/molt/rollouts", "{\"target\":\"t\",\"batchSize\":3.7}",
        "field 'batchSize' must be a count 1..10000 or a percentage 1%..100%, was 3.7");
    refused("/molt/rollouts", "{\"target\":\"t\",\"mode\":\"fast\"}", "field 'mode' must be barrier or pipelined, was \"fast\"");
    refused("/molt/rollouts", "{\"target\":\"t\",\"pauseBetweenBatches\":\"2d\"}", "field 'pauseBetweenBatches' must be "
        + "milliseconds or a duration like \"500ms\", \"30s\", \"5m\" or \"1h\", from 0 to PT24H "
        + "(molt.orchestrator.max-pause-between-batches), was \"2d\"");
    refused("/molt/rollouts", "{\"target\":null,\"mode\":\"barrier\"}", TARGET_REQUIRED);
    refused("/molt/rollouts", "{\"target\":\"t\",\"batch\":2}", "unknown field 'batch'; fields: [target, application, "
        + "batchSize, canary, pauseBetweenBatches, mode, autoRollback]");
    refused("/molt/plan", "{\"application\":\"game\"}", TARGET_REQUIRED);
    refused("/molt/plan", "{\"target\":7}", "field 'target' must be a release id such as \"game-2.0.0\", or a version such "
        + "as \"2.0.0\", was 7");
    refused("/molt/plan", "{\"target\":\"t\",\"mode\":\"pipelined\"}", "unknown field 'mode'; fields: [target, application]");
    refused("/molt/plan", "{\"target\":\"t\",\"application\":\"" + "G".repeat(150) + "\"}",
        "field 'application' must match [a-z0-9][a-z0-9._-]{0,63}, was '" + "G".repeat(77) + "...'");
    refused("/molt/actors/rooms/r1", "{\"type\":\"score\",\"schemaVersion\":true}",
        "field 'schemaVersion' must be an integer >= 1, was true");
    refused("/molt/actors/rooms/r1", "{\"type\":null}", "field 'type' (the message type, e.g. \"get\") is required");
    refused("/molt/actors/rooms/r1", "{\"type\":\"score\",\"payload\":{},\"replyTo\":\"x\"}",
        "unknown field 'replyTo'; fields: [type, schemaVersion, payload]");
    // Not read as false: a caller who misspelt it would never get the reply it asked for.
    refused("/molt/actors/rooms/r1?reply=yes", "{\"type\":\"score\",\"payload\":{\"points\":5}}",
        "parameter 'reply' must be true or false, was 'yes'");
    assertNothingReachedTheStandIns();

    Map<String, Long> after = routes.routes.refusals().counts();
    assertEquals(6, after.get("rollout spec fields") - before.getOrDefault("rollout spec fields", 0L));
    assertEquals(4, after.get("plan fields") - before.getOrDefault("plan fields", 0L));
    assertEquals(4, after.get("envelope fields") - before.getOrDefault("envelope fields", 0L));
  }

  @Test
  void aBodyOverItsBoundsNotJsonEmptyOrNotAnObjectIsRefusedAndTheBoundsCounted() throws Exception {
    Map<String, Long> before = routes.routes.refusals().counts();
    for (String path : PATHS) {
      Reply tooLarge = send(path, HttpEntities.create(ContentTypes.APPLICATION_JSON, "[".repeat(1024 * 1024 + 1)));
      assertProblem(tooLarge, 413, "body too large",
          "the body is 1048577 bytes; the limit for JSON bodies is 1048576 bytes (molt.http.max-json-bytes)");
      Reply chunked = send(path, HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
          Source.from(Collections.nCopies(17, ByteString.fromString("[".repeat(64 * 1024))))));
      assertProblem(chunked, 413, "body too large",
          "the body is more than that; the limit for JSON bodies is 1048576 bytes (molt.http.max-json-bytes)");

      Reply deep = post(path, "{\"payload\":" + "[".repeat(70) + "]".repeat(70) + "}");
      assertProblem(deep, 400, "body too deep", "the body is nested deeper than 64 levels of arrays and objects (line 1, "
          + "column 76); the limit is 64 (molt.http.max-json-depth)");

      assertProblem(post(path, "{\"target\": "), 400, "bad request",
          "the body is not JSON: Unexpected end-of-input within/between Object entries (line 1, column 12)");
      assertProblem(post(path, ""), 400, "bad request", "the body must be a JSON object");
      assertProblem(post(path, "[{\"target\":\"game-2.0.0\"}]"), 400, "bad request", "the body must be a JSON object");
      assertProblem(post(path, "\"game-2.0.0\""), 400, "bad request", "the body must be a JSON object");
    }
    assertNothingReachedTheStandIns();
    Map<String, Long> after = routes.routes.refusals().counts();
    assertEquals(6, after.get("molt.http.max-json-bytes") - before.getOrDefault("molt.http.max-json-bytes", 0L));
    assertEquals(3, after.get("molt.http.max-json-depth") - before.getOrDefault("molt.http.max-json-depth", 0L));
  }

  @Test
  void aBodyOfTwoValuesOrAFieldTwiceIsRefusedNotReadAsOneOfThem() throws Exception {
    for (String path : PATHS) {
      assertProblem(post(path, "{\"target\":\"game-1.0.0\"} {\"target\":\"game-2.0.0\",\"canary\":true}"), 400,
          "bad request", "the body must be one JSON object; found more after it (line 1, column 26)");
      assertProblem(post(path, "{\"target\":\"game-1.0.0\",\"target\":\"game-2.0.0\"}"), 400, "bad request",
          "the body names field 'target' twice in one object (line 1, column 32)");
    }
    assertProblem(post("/molt/actors/rooms/r1", "{\"type\":\"score\",\"payload\":{\"points\":5,\"points\":6}}"), 400,
        "bad request", "the body names field 'points' twice in one object (line 1, column 47)");
    assertNothingReachedTheStandIns();
  }

  @Test
  void aNumberOverItsBoundIsRefusedBeforeItIsConvertedAndCounted() throws Exception {
    Map<String, Long> before = routes.routes.refusals().counts();
    String prefix = "{\"type\":\"score\",\"schemaVersion\":";
    for (String path : PATHS) {
      assertProblem(post(path, prefix + "7".repeat(1_000_000) + "}"), 400, "bad request", "the body has a number of "
          + "1000000 characters (line 1, column " + (prefix.length() + 1_000_001) + "); the limit is 100 characters");
    }
    assertNothingReachedTheStandIns();
    Map<String, Long> after = routes.routes.refusals().counts();
    assertEquals(3, after.get("json number length") - before.getOrDefault("json number length", 0L));
  }

  /**
   * Nothing reached the singleton or the node agent: a good plan and a good envelope sent after the
   * refused bodies are the first and only things the stand-ins received (each stand-in's mailbox
   * keeps the order of what the routes sent it).
   */
  private static void assertNothingReachedTheStandIns() throws Exception {
    assertEquals(200, post("/molt/plan", "{\"target\":\"game-2.0.0\"}").status());
    Envelope envelope = new Envelope("score", 1, json.createObjectNode().put("points", 1));
    assertEquals(202, post("/molt/actors/rooms/r1", "{\"type\":\"score\",\"payload\":{\"points\":1}}").status());
    assertEquals(GAME_2, received.poll(30, TimeUnit.SECONDS), "the plan first: nothing before it");
    assertEquals(envelope, received.poll(30, TimeUnit.SECONDS), "the envelope next: nothing before it");
    assertTrue(received.isEmpty(), "nothing else: " + received);
  }

  private static void refused(String path, String body, String detail) throws Exception {
    assertProblem(post(path, body), 400, "bad field", detail);
  }

  private static Reply post(String path, String body) throws Exception {
    return routes.post(path, body);
  }

  private static Reply send(String path, RequestEntity entity) throws Exception {
    return routes.post(path, entity);
  }

  /** The answer is Molt's problem with exactly {@code detail}, in our words: nothing of Jackson's, no stack trace. */
  private static void assertProblem(Reply reply, int status, String error, String detail) {
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(error, reply.body().path("error").asText(), reply.toString());
    assertEquals(detail, reply.detail(), "the whole detail");
    for (String notOurs : List.of("[Source:", "`", "com.fasterxml", "Exception", "\tat ")) {
      assertFalse(reply.text().contains(notOurs), "'" + notOurs + "' in " + reply);
    }
  }
}
