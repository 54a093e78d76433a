package dev.molt.orchestrator.auth;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A stored password: PBKDF2 with HMAC-SHA256 (the JDK's {@code PBKDF2WithHmacSHA256}), written
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}. The hash is always {@link
 * #HASH_BYTES} long, so two hashes compare in a time that does not depend on the password.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  public static final String SCHEME = "pbkdf2-sha256";
  public static final int HASH_BYTES = 32;
  /** What {@code moltctl hash-password} and a password from the environment use. */
  public static final int DEFAULT_ITERATIONS = 210_000;
  private static final int MIN_ITERATIONS = 1_000;
  private static final int MAX_ITERATIONS = 10_000_000;
  private static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Derives {@link #HASH_BYTES} bytes from a password; a seam, so that tests can count derivations. */
  @FunctionalInterface
  public interface Kdf {
    byte[] derive(String password, byte[] salt, int iterations);
  }

  /** The JDK's PBKDF2WithHmacSHA256. */
  public static final Kdf PBKDF2 = (password, salt, iterations) -> {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
    } finally {
      spec.clearPassword();
    }
  };

  /** A new hash of {@code password} with a random salt. */
  public static PasswordHash of(String password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, PBKDF2.derive(password, salt, iterations));
  }

  /** Reads a stored hash; the exception names what is wrong, never the hash itself. */
  public static PasswordHash parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException("a password hash must be " + SCHEME + "$<iterations>$<salt>$<hash> (moltctl hash-password)");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      iterations = -1;
    }
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("a password hash's iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS
          + ", was '" + parts[1] + "'");
    }
    byte[] salt;
    byte[] hash;
    try {
      salt = Base64.getDecoder().decode(parts[2]);
      hash = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a password hash's salt and hash must be base64");
    }
    if (salt.length < 8 || hash.length != HASH_BYTES) {
      throw new IllegalArgumentException("a password hash needs a salt of 8 bytes or more and a hash of " + HASH_BYTES
          + " bytes; has " + salt.length + " and " + hash.length);
    }
    return new PasswordHash(iterations, salt, hash);
  }

  public String format() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Override
  public String toString() {
    return SCHEME + "$" + iterations + "$...";
  }
}
