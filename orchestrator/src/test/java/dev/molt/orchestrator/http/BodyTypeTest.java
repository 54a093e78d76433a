package dev.molt.orchestrator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.orchestrator.rollout.RolloutOptions;
import dev.molt.orchestrator.rollout.TargetRequest;
import dev.molt.protocol.control.InstallMode;
import dev.molt.protocol.envelope.Envelope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The three bodies read into their records by Jackson, without Akka HTTP: what each field becomes,
 * and the exact detail of each refusal (the field, its rule, the value sent), never Jackson's text.
 */
class BodyTypeTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final BodyType<RolloutBody> ROLLOUT = RolloutBody.type(Duration.ofHours(24));
  private static final String PAUSE_RULE = "field 'pauseBetweenBatches' must be milliseconds or a duration like \"500ms\", "
      + "\"30s\", \"5m\" or \"1h\", from 0 to PT24H (molt.orchestrator.max-pause-between-batches), was ";

  @Test
  void aRolloutBodyBecomesTheTargetAndTheOptions() throws Exception {
    RolloutBody body = ROLLOUT.read(object("{\"target\":\"2.0.0\",\"application\":\"game\",\"batchSize\":\" 34% \","
        + "\"canary\":true,\"pauseBetweenBatches\":\"30s\",\"mode\":\"pipelined\",\"autoRollback\":false}"));
    assertEquals(new TargetRequest("2.0.0", "game"), body.targetRequest());
    assertEquals(new RolloutOptions("34%", true, 30_000, InstallMode.PIPELINED, false), body.options());

    RolloutBody defaults = ROLLOUT.read(object("{\"target\":\"game-2.0.0\",\"mode\":null,\"canary\":null,\"batchSize\":null}"));
    assertEquals(new RolloutOptions("1", false, 0, InstallMode.BARRIER, true), defaults.options());
    assertEquals(new RolloutOptions("7", false, 1_500, InstallMode.BARRIER, true),
        ROLLOUT.read(object("{\"target\":\"game-2.0.0\",\"batchSize\":7,\"pauseBetweenBatches\":1500}")).options());
    assertEquals(3_600_000, ROLLOUT.read(object("{\"target\":\"t\",\"pauseBetweenBatches\":\"1h\"}")).options()
        .pauseBetweenBatchesMillis());
  }

  @Test
  void aWrongTypeIsRefusedWithTheFieldItsRuleAndTheValue() {
    refused(ROLLOUT, "{\"target\":\"t\",\"canary\":\"true\"}", "field 'canary' must be true or false, was \"true\"");
    refused(ROLLOUT, "{\"target\":\"t\",\"autoRollback\":1}", "field 'autoRollback' must be true or false, was 1");
    refused(ROLLOUT, "{\"target\":\"t\",\"canary\":{}}", "field 'canary' must be true or false, was {}");
    refused(ROLLOUT, "{\"target\":5}", "field 'target' must be a release id such as \"game-2.0.0\", or a version such as "
        + "\"2.0.0\", was 5");
    refused(PlanBody.TYPE, "{\"target\":true}", "field 'target' must be a release id such as \"game-2.0.0\", or a version "
        + "such as \"2.0.0\", was true");
    refused(PlanBody.TYPE, "{\"target\":\"t\",\"application\":[\"game\"]}",
        "field 'application' must be an application name such as \"game\", was [\"game\"]");
    refused(ROLLOUT, "{\"target\":\"t\",\"mode\":\"fast\"}", "field 'mode' must be barrier or pipelined, was \"fast\"");
    refused(ROLLOUT, "{\"target\":\"t\",\"mode\":1}", "field 'mode' must be barrier or pipelined, was 1");
    refused(ROLLOUT, "{\"target\":\"t\",\"mode\":\"BARRIER\"}", "field 'mode' must be barrier or pipelined, was \"BARRIER\"");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"schemaVersion\":3.7}", "field 'schemaVersion' must be an integer >= 1, was 3.7");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"schemaVersion\":\"2\"}", "field 'schemaVersion' must be an integer >= 1, was \"2\"");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"schemaVersion\":99999999999}",
        "field 'schemaVersion' must be an integer >= 1, was 99999999999");
  }

  @Test
  void aValueOutOfItsBoundIsRefusedWithTheRule() {
    for (String batch : new String[] {"0", "10001", "\"101%\"", "\"0%\"", "\"abc\"", "1.5", "true", "99999999999", "\"-1\""}) {
      refused(ROLLOUT, "{\"target\":\"t\",\"batchSize\":" + batch + "}",
          "field 'batchSize' must be a count 1..10000 or a percentage 1%..100%, was " + batch);
    }
    refused(ROLLOUT, "{\"target\":\"t\",\"pauseBetweenBatches\":\"25h\"}", PAUSE_RULE + "\"25h\"");
    refused(ROLLOUT, "{\"target\":\"t\",\"pauseBetweenBatches\":-1}", PAUSE_RULE + "-1");
    refused(ROLLOUT, "{\"target\":\"t\",\"pauseBetweenBatches\":\"99999999999999999h\"}", PAUSE_RULE + "\"99999999999999999h\"");
    refused(ROLLOUT, "{\"target\":\"t\",\"pauseBetweenBatches\":1.5}", PAUSE_RULE + "1.5");
    refused(RolloutBody.type(Duration.ofSeconds(10)), "{\"target\":\"t\",\"pauseBetweenBatches\":\"11s\"}",
        "field 'pauseBetweenBatches' must be milliseconds or a duration like \"500ms\", \"30s\", \"5m\" or \"1h\", "
            + "from 0 to PT10S (molt.orchestrator.max-pause-between-batches), was \"11s\"");
    refused(PlanBody.TYPE, "{\"target\":\"" + "x".repeat(201) + "\"}", "field 'target' must be at most 200 characters, was 201");
    refused(PlanBody.TYPE, "{\"target\":\"  \"}", "field 'target' must be a release id such as \"game-2.0.0\", or a version "
        + "such as \"2.0.0\", was \"  \"");
    refused(PlanBody.TYPE, "{\"target\":\"1.0.0\",\"application\":\"Not A Name\"}",
        "field 'application' must match [a-z0-9][a-z0-9._-]{0,63}, was 'Not A Name'");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"schemaVersion\":0}", "field 'schemaVersion' must be an integer >= 1, was 0");
  }

  @Test
  void aRequiredFieldNullOrAbsentAndAnUnknownFieldAreRefused() {
    refused(PlanBody.TYPE, "{}", "field 'target' (a release id such as \"game-2.0.0\", or a version such as \"2.0.0\") is required");
    refused(ROLLOUT, "{\"target\":null}", "field 'target' (a release id such as \"game-2.0.0\", or a version such as \"2.0.0\") "
        + "is required");
    refused(EnvelopeBody.TYPE, "{\"payload\":{}}", "field 'type' (the message type, e.g. \"get\") is required");
    refused(PlanBody.TYPE, "{\"target\":\"t\",\"batchSize\":1}", "unknown field 'batchSize'; fields: [target, application]");
    refused(ROLLOUT, "{\"target\":\"t\",\"gates\":{}}", "unknown field 'gates'; fields: [target, application, batchSize, "
        + "canary, pauseBetweenBatches, mode, autoRollback]");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"" + "k".repeat(100) + "\":1}",
        "unknown field '" + "k".repeat(77) + "...'; fields: [type, schemaVersion, payload]");
  }

  @Test
  void anEnvelopeBodyIsAnEnvelopeWithoutACallersReplyTo() throws Exception {
    Envelope envelope = EnvelopeBody.TYPE.read(object("{\"type\":\"score\",\"schemaVersion\":2,\"payload\":{\"points\":5}}"))
        .envelope();
    assertEquals(new Envelope("score", 2, object("{\"points\":5}")), envelope);
    assertEquals(new Envelope("get", 1, json.createObjectNode()), EnvelopeBody.TYPE.read(object("{\"type\":\"get\"}")).envelope());
    assertEquals(new Envelope("get", 1, json.createObjectNode()),
        EnvelopeBody.TYPE.read(object("{\"type\":\"get\",\"payload\":null,\"schemaVersion\":null}")).envelope());
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"payload\":[1]}", "field 'payload' must be a JSON object, was array");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"payload\":\"x\"}", "field 'payload' must be a JSON object, was string");
    refused(EnvelopeBody.TYPE, "{\"type\":\"get\",\"payload\":{\"replyTo\":\"akka://x/user/y\"}}",
        "field 'payload.replyTo' is set by the route, not the caller: use ?reply=true to get the reply in the response");
  }

  private static void refused(BodyType<?> type, String body, String detail) {
    BadInput bad = assertThrows(BadInput.class, () -> type.read(object(body)), body);
    assertEquals(detail, bad.detail(), body);
    assertEquals(400, bad.status());
    assertEquals("bad field", bad.error());
  }

  private static ObjectNode object(String body) throws Exception {
    return (ObjectNode) json.readTree(body);
  }
}
