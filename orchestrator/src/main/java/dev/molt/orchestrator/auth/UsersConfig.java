package dev.molt.orchestrator.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Users} from {@code molt.http}: the {@code users} list ({@code name}, {@code role},
 * {@code password-hash}) and the one admin of {@code admin-user} / {@code admin-password} (env
 * {@code MOLT_ADMIN_USER} / {@code MOLT_ADMIN_PASSWORD}), hashed here with a salt derived from the
 * user's name, so that nodes given the same password hold the same hash and fingerprint. With
 * neither, a password is generated for {@code admin} and written to a file only its owner can
 * read ({@code molt.http.generated-password-file}); the log names the file, never the password.
 */
public final class UsersConfig {
  private static final Logger log = LoggerFactory.getLogger(UsersConfig.class);

  private UsersConfig() {}

  /** The users of {@code config}; an {@link IllegalArgumentException} names the entry that is wrong. */
  public static Users load(Config config) {
    Config http = config.getConfig("molt.http");
    Map<String, Map.Entry<Role, PasswordHash>> users = new LinkedHashMap<>();
    int index = 0;
    for (Config user : http.getConfigList("users")) {
      String where = "molt.http.users[" + index++ + "]";
      String name = string(user, "name", where);
      Role role = Role.parse(string(user, "role", where)).orElseThrow(() -> new IllegalArgumentException(
          where + ".role must be one of " + Role.NAMES + ", was '" + user.getString("role") + "'"));
      PasswordHash hash;
      try {
        hash = PasswordHash.parse(string(user, "password-hash", where));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " (user '" + name + "'): " + e.getMessage());
      }
      if (users.put(name, new AbstractMap.SimpleEntry<>(role, hash)) != null) {
        throw new IllegalArgumentException(where + ": user '" + name + "' is listed twice");
      }
    }
    String admin = http.getString("admin-user");
    String password = http.getString("admin-password");
    if (!password.isEmpty()) {
      if (users.containsKey(admin)) {
        throw new IllegalArgumentException("user '" + admin + "' is both in molt.http.users and molt.http.admin-user (MOLT_ADMIN_USER)");
      }
      users.put(admin, new AbstractMap.SimpleEntry<>(Role.ADMIN, new PasswordHash(PasswordHash.DEFAULT_ITERATIONS,
          nameSalt(admin), PasswordHash.PBKDF2.derive(password, nameSalt(admin), PasswordHash.DEFAULT_ITERATIONS))));
    } else if (users.isEmpty() && http.getBoolean("auth")) {
      String generated = HexFormat.of().formatHex(SecureRandom.getSeed(12));
      Path file = generatedPasswordFile(config);
      write(file, generated);
      log.warn("no users configured (molt.http.users, MOLT_ADMIN_PASSWORD): generated a password for admin user '{}', written to {}"
          + " (readable by its owner only)", admin, file);
      log.warn("the generated admin password is this node's own: in a cluster of more than one node every node generates "
          + "another, so mutating requests are refused ('credentials differ') through every node but the orchestrator's; "
          + "give all nodes the same users (molt.http.users or MOLT_ADMIN_PASSWORD)");
      users.put(admin, new AbstractMap.SimpleEntry<>(Role.ADMIN, PasswordHash.of(generated, PasswordHash.DEFAULT_ITERATIONS)));
    }
    return new Users(users);
  }

  private static String string(Config entry, String key, String where) {
    try {
      String value = entry.getString(key);
      if (value.isBlank()) {
        throw new IllegalArgumentException(where + "." + key + " is empty");
      }
      return value;
    } catch (ConfigException e) {
      throw new IllegalArgumentException(where + " needs '" + key + "' (a string)");
    }
  }

  private static Path generatedPasswordFile(Config config) {
    String configured = config.getString("molt.http.generated-password-file");
    return configured.isEmpty() ? Path.of(config.getString("molt.release-store.dir"), "admin-password") : Path.of(configured);
  }

  private static void write(Path file, String password) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the generated admin password to " + file, e);
    }
  }

  /** The salt of a password given in the environment: the same on every node, so the fingerprints agree. */
  private static byte[] nameSalt(String user) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(("molt admin-password salt\0" + user).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
