package dev.molt.node.release;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.BundleSignatureException;
import dev.molt.protocol.signing.SigningKeys;
import dev.molt.protocol.signing.TrustedKeys;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which bundles a node accepts ({@code molt.bundle.require-signature}, {@code trusted-keys}): the
 * check every bundle passes before any of its code is loaded, whether it came by upload, from
 * another node, or on the command line at start.
 */
public record BundleTrust(boolean required, TrustedKeys keys) {

  /** What {@link #check} says of a bundle it let through when signatures are not required. */
  static final String NOT_CHECKED = "not checked (molt.bundle.require-signature = off)";

  static BundleTrust from(Config bundle) {
    boolean required = bundle.getBoolean("require-signature");
    List<PublicKey> keys = new ArrayList<>();
    for (String entry : entries(bundle)) {
      try {
        keys.add(SigningKeys.parseTrusted(entry));
      } catch (IOException e) {
        throw new IllegalArgumentException("molt.bundle.trusted-keys: " + e.getMessage(), e);
      }
    }
    return new BundleTrust(required, new TrustedKeys(keys));
  }

  /** A list, or one string of comma-separated entries (as {@code MOLT_TRUSTED_KEYS} gives it). */
  private static List<String> entries(Config bundle) {
    if (bundle.getValue("trusted-keys").valueType() == ConfigValueType.STRING) {
      return Arrays.stream(bundle.getString("trusted-keys").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
    return bundle.getStringList("trusted-keys");
  }

  /**
   * The id of the trusted key that signed a bundle, or {@link #NOT_CHECKED}.
   *
   * @param signature the bytes of the bundle's {@value BundleSignature#ENTRY}, null when it has none
   * @param digest the bundle's {@link dev.molt.protocol.signing.BundleDigest}
   */
  String check(byte[] signature, byte[] digest) throws BundleSignatureException {
    if (!required) {
      return NOT_CHECKED;
    }
    return keys.verify(signature == null ? null : BundleSignature.parse(signature), digest);
  }
}
