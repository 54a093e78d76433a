package dev.molt.node.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Message type names come from the classes, so no class a version sends can be left out. */
class MessageNamesTest {

  sealed interface Msg {}

  record ScoreAdded(long points) implements Msg {}

  record HTTPCall(String url) implements Msg {}

  @MessageName("join")
  record PlayerJoined(String player) implements Msg {}

  /** A sealed branch: its records are messages too. */
  sealed interface Admin extends Msg {}

  record Reset() implements Admin {}

  record Stats() implements Admin {}

  @Test
  void everyRecordOfASealedInterfaceIsNamedInKebabCaseOrByItsAnnotation() {
    assertEquals(Map.of("score-added", ScoreAdded.class, "http-call", HTTPCall.class, "join", PlayerJoined.class,
        "reset", Reset.class, "stats", Stats.class), MessageNames.of(Msg.class));
  }

  @Test
  void kebabCase() {
    assertEquals("account-view", MessageNames.kebab("AccountView"));
    assertEquals("get", MessageNames.kebab("Get"));
    assertEquals("http-call", MessageNames.kebab("HTTPCall"));
    assertEquals("score2-added", MessageNames.kebab("Score2Added"));
  }

  interface Open {}

  record OpenOne() implements Open {}

  @Test
  void anOpenInterfaceIsRefusedNamingWhatToDo() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MessageNames.of(Open.class));
    assertEquals("message type " + Open.class.getName() + " is not sealed: make it a sealed interface (its records"
        + " are then named by their simple names), or list messageTypes() by hand", refused.getMessage());
  }

  sealed interface Clashing {}

  record Ping() implements Clashing {}

  @MessageName("ping")
  record Pong() implements Clashing {}

  @Test
  void twoClassesUnderOneNameAreRefused() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MessageNames.of(Clashing.class));
    assertEquals("message classes " + Ping.class.getName() + " and " + Pong.class.getName()
        + " both travel as 'ping': rename one or give it @MessageName", refused.getMessage());
  }

  sealed interface WithOpenBranch {}

  non-sealed interface Anything extends WithOpenBranch {}

  @Test
  void aNonSealedBranchIsRefused() {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> MessageNames.of(WithOpenBranch.class));
    assertEquals(Anything.class.getName() + " under " + WithOpenBranch.class.getName()
        + " is neither sealed nor concrete: its messages cannot be named", refused.getMessage());
  }
}
