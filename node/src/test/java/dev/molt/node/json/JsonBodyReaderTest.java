package dev.molt.node.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bounded reader's verdict on a body already received: one object, read as sent, or a 400
 * whose detail names what was wrong in our words (never Jackson's text with an excerpt of the body).
 */
class JsonBodyReaderTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final JsonBodyReader reader =
      new JsonBodyReader(json, 1024 * 1024, "test.max-json-bytes", 8, "test.max-json-depth", Duration.ofSeconds(5));

  @Test
  void oneObjectIsReadAsSent() throws Exception {
    String body = "{\"a\":{\"x\":1},\"b\":{\"x\":2},\"n\":" + "9".repeat(JsonBounds.MAX_NUMBER_CHARS) + "} \n";
    JsonBodyReader.Read read = assertInstanceOf(JsonBodyReader.Read.class, reader.parse(bytes(body)), body);
    assertEquals(json.readTree(body), read.body(), "the same field in two objects is two fields");
  }

  @Test
  void moreThanOneValueIsRefusedNotCutToTheFirst() {
    refused("{\"target\":\"game-1.0.0\"} {\"target\":\"game-2.0.0\",\"canary\":true}", null,
        "the body must be one JSON object; found more after it (line 1, column 26)");
    refused("{} []", null, "the body must be one JSON object; found more after it (line 1, column 5)");
    refused("\"game-2.0.0\" 7", null, "the body must be one JSON object; found more after it (line 1, column 15)");
  }

  @Test
  void aFieldNamedTwiceIsRefusedWithItsName() {
    refused("{\"target\":\"game-1.0.0\",\"target\":\"game-2.0.0\"}", null,
        "the body names field 'target' twice in one object (line 1, column 32)");
    refused("{\"type\":\"score\",\"payload\":{\"points\":5,\"points\":6}}", null,
        "the body names field 'points' twice in one object (line 1, column 47)");
  }

  @Test
  void aNumberLongerThanTheBoundIsRefusedBeforeItIsConverted() {
    String digits = "1".repeat(1_000_000);
    refused("{\"points\":" + digits + "}", JsonBodyReader.NUMBER_BOUND,
        "the body has a number of 1000000 characters (line 1, column 1000011); the limit is 100 characters");
    refused("[0." + "5".repeat(JsonBounds.MAX_NUMBER_CHARS - 1) + "]", JsonBodyReader.NUMBER_BOUND,
        "the body has a number of 101 characters (line 1, column 103); the limit is 100 characters");
  }

  @Test
  void notJsonIsSaidInOurWordsWithoutTheBody() {
    refused("{\"target\": ", null, "the body is not JSON: Unexpected end-of-input within/between Object entries "
        + "(line 1, column 12)");
    refused("{\"target\":\n[1", null, "the body is not JSON: Unexpected end-of-input: expected close marker for Array "
        + "(start marker at line 2, column 1) (line 2, column 3)");
    refused("{\"target\": game}", null, "the body is not JSON: Unrecognized token 'game': was expecting (JSON String, "
        + "Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 17)");
    String secret = "x".repeat(600);
    JsonBodyReader.Refused longToken = refused("{\"target\": " + secret + "}", null, null);
    assertFalse(longToken.detail().contains(secret.substring(0, 161)), "abbreviated: " + longToken.detail());
  }

  @Test
  void tooDeepIsCountedAgainstItsSetting() {
    refused("{\"a\":" + "[".repeat(9) + "]".repeat(9) + "}", "test.max-json-depth",
        "the body is nested deeper than 8 levels of arrays and objects (line 1, column 14); the limit is 8 (test.max-json-depth)");
  }

  /** Refused with 400, counted as {@code bound}, with {@code detail} (when given) and nothing of Jackson's. */
  private static JsonBodyReader.Refused refused(String body, String bound, String detail) {
    JsonBodyReader.Refused refused = assertInstanceOf(JsonBodyReader.Refused.class, reader.parse(bytes(body)));
    assertEquals(400, refused.status().intValue(), refused.toString());
    assertEquals(bound, refused.bound(), refused.toString());
    if (detail != null) {
      assertEquals(detail, refused.detail());
    }
    for (String jackson : new String[] {"[Source:", "`", "com.fasterxml", "Exception", "\n"}) {
      assertFalse(refused.detail().contains(jackson), "'" + jackson + "' in " + refused.detail());
    }
    return refused;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
