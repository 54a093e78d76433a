package dev.molt.orchestrator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.agent.InstallMode;
import dev.molt.orchestrator.rollout.RolloutOptions;
import dev.molt.orchestrator.rollout.RolloutSpec;
import dev.molt.orchestrator.rollout.TargetRequest;
import dev.molt.protocol.release.ReleaseDescriptors;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /molt/rollouts}, every field checked against its type and bound before
 * the singleton sees it: a value the singleton cannot act on (a pause its timer refuses) once
 * stopped it for good. Each refusal names the field and the bound.
 *
 * <p>Read by hand from the tree {@link JsonBodies} gives, not by Akka HTTP's Jackson unmarshaller
 * ({@code akka-http-jackson}, not a dependency): that unmarshaller reads the entity itself, so the
 * size bound would have to be re-applied and the depth bound (checked while parsing; Jackson 2.13
 * has no nesting limit of its own) would be lost; its refusals are Jackson's messages
 * ("Cannot deserialize value of type `boolean` from String ...") as one generic 400, not a field
 * named with its bound; and durations ({@code "30s"}), percentages ({@code "34%"}) and the mode
 * would need custom deserializers holding these same rules. The target is kept as the client named
 * it ({@link #targetRequest()}): only the orchestrator resolves it.
 */
record RolloutRequest(String target, String application, String batchSize, boolean canary, long pauseBetweenBatchesMillis,
    InstallMode mode, boolean autoRollback) {

  static final List<String> FIELDS =
      List.of("target", "application", "batchSize", "canary", "pauseBetweenBatches", "mode", "autoRollback");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h)?");

  static RolloutRequest parse(ObjectNode body, HttpLimits limits) throws BadInput {
    Fields.onlyKnown(body, FIELDS);
    String target = Fields.text(body, "target", true, "a release id such as \"game-2.0.0\", or a version such as \"2.0.0\"");
    String application = Fields.text(body, "application", false, "an application name such as \"game\"");
    if (application != null && !ReleaseDescriptors.isValidName(application)) {
      throw BadInput.field("field 'application' must match " + ReleaseDescriptors.NAME_PATTERN + ", was '" + application + "'");
    }
    return new RolloutRequest(target, application, batchSize(body.get("batchSize")), bool(body, "canary", false),
        pause(body.get("pauseBetweenBatches"), limits.maxPauseBetweenBatches()), mode(body.get("mode")),
        bool(body, "autoRollback", true));
  }

  /** The target as the client named it: the orchestrator resolves it. */
  TargetRequest targetRequest() {
    return new TargetRequest(target, application);
  }

  RolloutOptions options() {
    return new RolloutOptions(batchSize, canary, pauseBetweenBatchesMillis, mode.json(), autoRollback);
  }

  private static boolean bool(JsonNode body, String field, boolean absent) throws BadInput {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw BadInput.field("field '" + field + "' must be true or false, was " + Fields.abbreviate(value.toString()));
    }
    return value.booleanValue();
  }

  private static String batchSize(JsonNode value) throws BadInput {
    if (value == null || value.isNull()) {
      return "1";
    }
    String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText().trim() : null;
    boolean percent = text != null && text.endsWith("%");
    String digits = text == null ? "" : percent ? text.substring(0, text.length() - 1) : text;
    long size = digits.matches("\\d{1,9}") ? Long.parseLong(digits) : -1;
    if (size < 1 || size > (percent ? 100 : RolloutSpec.MAX_BATCH_COUNT)) {
      throw BadInput.field("field '" + RolloutSpec.BATCH_SIZE_RULE.replaceFirst("batchSize", "batchSize'")
          + ", was " + Fields.abbreviate(value.toString()));
    }
    return percent ? size + "%" : Long.toString(size);
  }

  private static long pause(JsonNode value, Duration max) throws BadInput {
    if (value == null || value.isNull()) {
      return 0;
    }
    String rule = "field 'pauseBetweenBatches' must be milliseconds or a duration like \"500ms\", \"30s\", \"5m\" or \"1h\", "
        + "from 0 to " + max + " (molt.orchestrator.max-pause-between-batches)";
    String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText().trim() : "";
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw BadInput.field(rule + ", was " + Fields.abbreviate(value.toString()));
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    long millis;
    try {
      millis = switch (unit) {
        case "h" -> Math.multiplyExact(amount, 3_600_000L);
        case "m" -> Math.multiplyExact(amount, 60_000L);
        case "s" -> Math.multiplyExact(amount, 1_000L);
        default -> amount;
      };
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE;
    }
    if (millis > max.toMillis()) {
      throw BadInput.field(rule + ", was " + Fields.abbreviate(value.toString()));
    }
    return millis;
  }

  private static InstallMode mode(JsonNode value) throws BadInput {
    if (value == null || value.isNull()) {
      return InstallMode.BARRIER;
    }
    try {
      if (value.isTextual()) {
        return InstallMode.parse(value.asText());
      }
    } catch (IllegalArgumentException e) {
      // Refused below with the field's name.
    }
    throw BadInput.field("field 'mode' must be barrier or pipelined, was " + Fields.abbreviate(value.toString()));
  }
}
