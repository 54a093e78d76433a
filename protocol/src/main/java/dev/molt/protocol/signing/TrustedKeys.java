package dev.molt.protocol.signing;

import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys a node accepts bundles from ({@code molt.bundle.trusted-keys}); several at once so
 * a signing key can be rotated: trust the new key everywhere, sign with it, then drop the old one.
 */
public final class TrustedKeys {
  private final Map<String, PublicKey> byId = new LinkedHashMap<>();

  public TrustedKeys(List<PublicKey> keys) {
    keys.forEach(k -> byId.put(SigningKeys.keyId(k), k));
  }

  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /**
   * The id of the trusted key whose signature covers {@code digest}; else why not, in words an
   * operator can act on.
   *
   * @param signature the bundle's signature, null when it has none
   */
  public String verify(BundleSignature signature, byte[] digest) throws BundleSignatureException {
    if (signature == null) {
      throw new BundleSignatureException("unsigned bundle: it has no " + BundleSignature.ENTRY
          + ", and this node needs a signature by a trusted key (" + trusted() + ")");
    }
    PublicKey key = byId.get(signature.keyId());
    if (key == null) {
      throw new BundleSignatureException("signed by unknown key " + signature.keyId() + "; " + trusted());
    }
    if (!signature.matches(digest, key)) {
      throw new BundleSignatureException("signature does not match the bundle's contents (key " + signature.keyId()
          + "): an entry was changed, added or removed after signing");
    }
    return signature.keyId();
  }

  private String trusted() {
    return byId.isEmpty() ? "no key is trusted: set molt.bundle.trusted-keys"
        : "trusted keys " + String.join(", ", byId.keySet()) + " (molt.bundle.trusted-keys)";
  }
}
