package dev.molt.protocol.signing;

/** A bundle refused for its signature: unsigned, by an unknown key, not matching, or malformed. */
public final class BundleSignatureException extends Exception {
  public BundleSignatureException(String message) {
    super(message);
  }
}
