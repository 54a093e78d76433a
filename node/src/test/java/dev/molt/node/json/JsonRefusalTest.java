package dev.molt.node.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A body that does not read as an application's type is refused in a client's words, never Jackson's. */
class JsonRefusalTest {
  enum Colour {
    RED, BLUE;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  record Place(String zone, int floor) {}

  record Score(String player, int seq, int points, Colour colour, List<Integer> bonus, Place place,
      java.util.Set<Integer> tags, java.util.UUID id, java.util.Map<Integer, String> names, String code) {
    Score {
      if (seq < 1) {
        throw new IllegalArgumentException("field 'seq' must be at least 1, was " + seq);
      }
      if ("nobody".equals(player)) {
        throw new IllegalArgumentException();
      }
      if (code != null) {
        Integer.parseInt(code); // the JDK's refusal names no field: not passed on
      }
    }
  }

  private static final ObjectMapper LENIENT = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** What a route answers for {@code json}: the release mapper wraps Jackson's failure as {@code ReleaseJsonMapper} does. */
  private static String refusal(ObjectMapper mapper, String json) throws Exception {
    JsonNode body = mapper.readTree(json);
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
      try {
        mapper.treeToValue(body, Score.class);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("cannot read Score: " + e.getOriginalMessage(), e);
      }
    });
    return JsonRefusal.describe(thrown, body, Score.class);
  }

  @Test
  void aValueOfTheWrongKindNamesTheFieldWhatItMustBeAndWhatWasSent() throws Exception {
    assertEquals("field 'points' must be an integer, was \"abc\"",
        refusal(LENIENT, "{\"player\":\"ann\",\"seq\":1,\"points\":\"abc\"}"));
    // Jackson reads the constants' names, whatever their toString says.
    assertEquals("field 'colour' must be one of [BLUE, RED], was \"green\"",
        refusal(LENIENT, "{\"seq\":1,\"colour\":\"green\"}"));
    assertEquals("field 'bonus[1]' must be an integer, was [1]",
        refusal(LENIENT, "{\"seq\":1,\"bonus\":[2,[1]]}"));
    assertEquals("field 'place.floor' must be an integer, was {}",
        refusal(LENIENT, "{\"seq\":1,\"place\":{\"zone\":\"eu\",\"floor\":{}}}"));
    assertEquals("field 'place' must be an object (Place), was 7", refusal(LENIENT, "{\"seq\":1,\"place\":7}"));
    assertEquals("field 'id' must be a string (UUID), was \"nope\"", refusal(LENIENT, "{\"seq\":1,\"id\":\"nope\"}"));
    assertEquals("field 'names' has a key that must be an integer, was \"abc\"",
        refusal(LENIENT, "{\"seq\":1,\"names\":{\"abc\":\"x\"}}"));
  }

  @Test
  void whereJacksonsPathDoesNotLeadToTheRefusedValueNoneIsShown() throws Exception {
    // A set counts the elements it kept: its index 1 is the second 1, which was fine.
    assertEquals("field 'tags[1]' must be an integer", refusal(LENIENT, "{\"seq\":1,\"tags\":[1,1,\"x\"]}"));
  }

  @Test
  void theJdksOwnRefusalsAndEmptyMessagesAreNotPassedOn() throws Exception {
    assertEquals("the body does not fit Score", refusal(LENIENT, "{\"seq\":1,\"code\":\"" + "9".repeat(300) + "x\"}"));
    assertEquals("the body does not fit Score", refusal(LENIENT, "{\"seq\":1,\"player\":\"nobody\"}"));
  }

  @Test
  void theTypesOwnRefusalIsKeptAndAnUnknownFieldListsTheKnownOnes() throws Exception {
    assertEquals("field 'seq' must be at least 1, was 0", refusal(LENIENT, "{\"player\":\"ann\",\"seq\":0}"));
    assertEquals("unknown field 'sequence'; fields: [bonus, code, colour, id, names, place, player, points, seq, tags]",
        refusal(new ObjectMapper(), "{\"seq\":1,\"sequence\":1}"));
  }

  @Test
  void aFailureWithoutJacksonsDetailSaysOnlyTheTypeDidNotFit() {
    assertEquals("the body does not fit Score",
        JsonRefusal.describe(new IllegalStateException("boom"), LENIENT.createObjectNode(), Score.class));
  }
}
