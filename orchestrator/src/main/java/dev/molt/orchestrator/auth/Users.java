package dev.molt.orchestrator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users a node accepts, each with a role and a {@link PasswordHash}. A check takes the same path
 * whoever asks: the given password is always derived once (against a dummy salt for an unknown
 * user) and the fixed-size results compared once with {@link MessageDigest#isEqual}, so neither an
 * unknown user nor a password's length shows in the time an answer takes. Passwords that were right
 * once are remembered (under a keyed hash, never in clear) so that a client sending many requests
 * does not pay a derivation for each; only wrong guesses pay it every time.
 */
public final class Users {
  /** Compares two hashes; a seam, so that tests can count comparisons. */
  @FunctionalInterface
  public interface Comparison {
    boolean equal(byte[] expected, byte[] given);
  }

  private static final int MAX_REMEMBERED = 1024;

  private final Map<String, Entry> byName;
  private final Entry dummy;
  private final PasswordHash.Kdf kdf;
  private final Comparison comparison;
  private final byte[] rememberKey = new byte[32];
  private final Map<String, User> remembered = new ConcurrentHashMap<>();
  private final String fingerprint;

  private record Entry(User user, PasswordHash hash) {}

  public Users(Map<String, Map.Entry<Role, PasswordHash>> users, PasswordHash.Kdf kdf, Comparison comparison) {
    Map<String, Entry> entries = new TreeMap<>();
    users.forEach((name, e) -> entries.put(name, new Entry(new User(name, e.getKey()), e.getValue())));
    this.byName = Map.copyOf(entries);
    this.kdf = kdf;
    this.comparison = comparison;
    // An unknown name is derived with the count most users have (ties: the higher), so it answers
    // like most known names. With mixed counts no single count hides every name: a user whose count
    // differs from the most common one answers at another speed, showing the name exists. Give all
    // users the same count (moltctl hash-password's default) to show none.
    int iterations = entries.values().stream()
        .collect(java.util.stream.Collectors.groupingBy(e -> e.hash().iterations(), TreeMap::new, java.util.stream.Collectors.counting()))
        .entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElse(PasswordHash.DEFAULT_ITERATIONS);
    this.dummy = new Entry(null, PasswordHash.of(HexFormat.of().formatHex(SecureRandom.getSeed(16)), iterations));
    new SecureRandom().nextBytes(rememberKey);
    this.fingerprint = fingerprint(entries);
  }

  public Users(Map<String, Map.Entry<Role, PasswordHash>> users) {
    this(users, PasswordHash.PBKDF2, MessageDigest::isEqual);
  }

  /** The user these credentials name, if they were right before: no derivation. */
  public Optional<User> remembered(String name, String password) {
    return Optional.ofNullable(remembered.get(rememberKey(name, password)));
  }

  /** The user these credentials name, if the password is theirs. */
  public Optional<User> authenticate(String name, String password) {
    String key = rememberKey(name, password);
    User known = remembered.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Entry entry = byName.getOrDefault(name, dummy);
    byte[] given = kdf.derive(password, entry.hash().salt(), entry.hash().iterations());
    boolean equal = comparison.equal(entry.hash().hash(), given);
    if (!equal || entry == dummy) {
      return Optional.empty();
    }
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.clear(); // the next requests derive again; nothing is refused
    }
    remembered.put(key, entry.user());
    return Optional.of(entry.user());
  }

  public int size() {
    return byName.size();
  }

  /** SHA-256 (hex) of the users, their roles and hashes, sorted by name: equal on nodes that accept the same credentials. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The first 8 hex digits of the fingerprint, as logs and {@code /molt/cluster} show it. */
  public static String prefix(String fingerprint) {
    return fingerprint == null ? null : fingerprint.substring(0, Math.min(8, fingerprint.length()));
  }

  private static String fingerprint(Map<String, Entry> sorted) {
    StringBuilder canonical = new StringBuilder();
    sorted.values().forEach(e -> canonical.append(e.user().name()).append('\n').append(e.user().role().wireName()).append('\n')
        .append(e.hash().format()).append('\n'));
    return HexFormat.of().formatHex(sha256().digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private String rememberKey(String name, String password) {
    MessageDigest digest = sha256();
    digest.update(rememberKey);
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(password.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
