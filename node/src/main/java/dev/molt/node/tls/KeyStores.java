package dev.molt.node.tls;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * Key and trust stores named in configuration (a path setting and its password setting), opened
 * once at start so that a missing file, a wrong password or an empty store stops the node with the
 * setting's name, rather than failing every TLS handshake later. PKCS12, or JKS (the JDK reads
 * both through its default type).
 */
public final class KeyStores {
  /** An opened store: where it is, its password, and its contents. */
  public record Store(Path path, String password, KeyStore keyStore) {
    public int entries() {
      try {
        return Collections.list(keyStore.aliases()).size();
      } catch (GeneralSecurityException e) {
        return 0;
      }
    }
  }

  private KeyStores() {}

  /** Opens the store named by {@code pathSetting} with the password of {@code passwordSetting}. */
  public static Store open(Config config, String pathSetting, String passwordSetting) {
    String file = config.getString(pathSetting);
    if (file.isBlank()) {
      throw new IllegalArgumentException(pathSetting + " is empty: name a PKCS12 store");
    }
    String password = config.getString(passwordSetting);
    if (password.isEmpty()) {
      throw new IllegalArgumentException(passwordSetting + " is empty (the password of " + file + ")");
    }
    Path path = Path.of(file).toAbsolutePath();
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException(pathSetting + " names " + path + ", which is not a readable file");
    }
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password.toCharArray());
      Store opened = new Store(path, password, store);
      if (opened.entries() == 0) {
        throw new IllegalArgumentException(pathSetting + " names " + path + ", which holds no key or certificate");
      }
      return opened;
    } catch (IOException | GeneralSecurityException e) {
      // A wrong password shows as an IOException whose cause is an UnrecoverableKeyException.
      throw new IllegalArgumentException(pathSetting + " names " + path + ", which does not open with "
          + passwordSetting + " (wrong password, or not a PKCS12/JKS store): " + e.getMessage(), e);
    }
  }
}
