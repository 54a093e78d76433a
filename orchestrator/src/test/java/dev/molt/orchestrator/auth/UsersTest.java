package dev.molt.orchestrator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password check takes one path whatever is wrong: "no timing difference measurable" is shown
 * by counting, through the derivation and comparison seams, that every check (known or unknown user,
 * right password, wrong one shorter or longer) derives once with the same iterations and compares
 * two 32-byte arrays once — not by measuring time on a loaded machine.
 */
class UsersTest {
  private record Derivation(int passwordLength, int iterations) {}

  private final List<Derivation> derivations = new ArrayList<>();
  private final List<int[]> comparisons = new ArrayList<>();

  private Users users() {
    PasswordHash.Kdf counting = (password, salt, iterations) -> {
      derivations.add(new Derivation(password.length(), iterations));
      return PasswordHash.PBKDF2.derive(password, salt, iterations);
    };
    Users.Comparison comparing = (expected, given) -> {
      comparisons.add(new int[] {expected.length, given.length});
      return MessageDigest.isEqual(expected, given);
    };
    return new Users(Map.of("otto", new AbstractMap.SimpleEntry<>(Role.OPERATOR, PasswordHash.of("otto-password", 2000))),
        counting, comparing);
  }

  @Test
  void everyCheckDerivesOnceAndComparesTwoFixedSizeHashesOnce() {
    Map<String, String[]> cases = Map.of(
        "right", new String[] {"otto", "otto-password"},
        "wrong, same length", new String[] {"otto", "otto-passwore"},
        "wrong, shorter", new String[] {"otto", "o"},
        "wrong, longer", new String[] {"otto", "otto-password-and-then-some-more"},
        "unknown user", new String[] {"mallory", "otto-password"},
        "empty", new String[] {"", ""});
    cases.forEach((label, credentials) -> {
      Users users = users(); // fresh: no password remembered from an earlier case
      derivations.clear();
      comparisons.clear();
      Optional<User> user = users.authenticate(credentials[0], credentials[1]);
      assertEquals(label.equals("right"), user.isPresent(), label);
      assertEquals(List.of(new Derivation(credentials[1].length(), 2000)), derivations, label + ": one derivation, same iterations");
      assertEquals(1, comparisons.size(), label + ": one comparison");
      assertEquals(List.of(32, 32), List.of(comparisons.get(0)[0], comparisons.get(0)[1]), label + ": of two 32-byte hashes");
    });
  }

  @Test
  void anUnknownNameIsDerivedWithTheCountMostUsersHave() {
    PasswordHash.Kdf counting = (password, salt, iterations) -> {
      derivations.add(new Derivation(password.length(), iterations));
      return PasswordHash.PBKDF2.derive(password, salt, iterations);
    };
    Users users = new Users(Map.of(
        "vera", new AbstractMap.SimpleEntry<>(Role.VIEWER, PasswordHash.of("v", 1000)),
        "otto", new AbstractMap.SimpleEntry<>(Role.OPERATOR, PasswordHash.of("o", 1000)),
        "ada", new AbstractMap.SimpleEntry<>(Role.ADMIN, PasswordHash.of("a", 3000))), counting, MessageDigest::isEqual);
    assertEquals(Optional.empty(), users.authenticate("mallory", "guess"));
    assertEquals(Optional.empty(), users.authenticate("otto", "guess"));
    assertEquals(List.of(new Derivation(5, 1000), new Derivation(5, 1000)), derivations,
        "an unknown name costs what most known names cost (1000), not the highest count (3000)");
  }

  @Test
  void aRightPasswordIsRememberedAWrongOneNever() {
    Users users = users();
    assertEquals(Optional.of(new User("otto", Role.OPERATOR)), users.authenticate("otto", "otto-password"));
    users.authenticate("otto", "otto-password");
    users.authenticate("otto", "wrong");
    users.authenticate("otto", "wrong");
    assertEquals(3, derivations.size(), "the right one derived once, each wrong one every time");
  }

  @Test
  void hashesRoundTripAndBadOnesAreNamed() {
    PasswordHash hash = PasswordHash.of("secret", 1000);
    PasswordHash read = PasswordHash.parse(hash.format());
    assertEquals(hash.format(), read.format());
    assertTrue(hash.format().startsWith("pbkdf2-sha256$1000$"), hash.format());
    assertEquals("a password hash must be pbkdf2-sha256$<iterations>$<salt>$<hash> (moltctl hash-password)",
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("bcrypt$x")).getMessage());
    assertEquals("a password hash's iterations must be 1000..10000000, was '10'",
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse("pbkdf2-sha256$10$AAAAAAAAAAA$AAAA")).getMessage());
    assertEquals("molt.http.users[0] (user 'otto'): a password hash needs a salt of 8 bytes or more and a hash of 32 bytes; has 8 and 3",
        assertThrows(IllegalArgumentException.class, () -> UsersConfig.load(ConfigFactory.parseString(
            "molt.http.users = [{name = otto, role = operator, password-hash = \"pbkdf2-sha256$1000$AAAAAAAAAAA$AAAA\"}]")
            .withFallback(ConfigFactory.load()))).getMessage());
    assertEquals("molt.http.users[0].role must be one of [viewer, operator, admin], was 'root'",
        assertThrows(IllegalArgumentException.class, () -> UsersConfig.load(ConfigFactory.parseString(
            "molt.http.users = [{name = otto, role = root, password-hash = \"" + hash.format() + "\"}]")
            .withFallback(ConfigFactory.load()))).getMessage());
  }

  @Test
  void nodesGivenTheSamePasswordHaveTheSameFingerprint() {
    String same = UsersConfig.load(config("molt.http.admin-password = s3cret")).fingerprint();
    assertEquals(same, UsersConfig.load(config("molt.http.admin-password = s3cret")).fingerprint());
    assertNotEquals(same, UsersConfig.load(config("molt.http.admin-password = rogue")).fingerprint());
    assertTrue(UsersConfig.load(config("molt.http.admin-password = s3cret")).authenticate("admin", "s3cret").isPresent());
  }

  @Test
  void aGeneratedPasswordGoesToAFileOnlyItsOwnerReads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secrets/admin-password");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(UsersConfig.class);
    logger.addAppender(logged);
    Users users;
    try {
      users = UsersConfig.load(config("molt.http.generated-password-file = \"" + file + "\""));
    } finally {
      logger.detachAppender(logged);
    }
    assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
        && e.getFormattedMessage().contains("mutating requests are refused ('credentials differ') through every node but the orchestrator's")),
        "a WARN names what a generated password does in a cluster");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String password = Files.readString(file).trim();
    assertEquals(24, password.length());
    assertEquals(Optional.of(new User("admin", Role.ADMIN)), users.authenticate("admin", password));
  }

  private static com.typesafe.config.Config config(String text) {
    return ConfigFactory.parseString(text).withFallback(ConfigFactory.load());
  }
}
