package dev.molt.protocol.signing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A bundle's signature, the entry {@value #ENTRY} at the root of the {@code .molt} archive.
 *
 * <p>It travels inside the bundle rather than beside it so that nothing else has to carry it: the
 * upload stays one file, the store keeps the bundle byte for byte, and the node-to-node transfer of
 * a distribution sends those bytes, so every receiving node checks the same signature again with
 * its own trusted keys, and no API or wire message changed. It signs the {@link BundleDigest} of
 * every other entry, not the archive's bytes, since adding the entry changes those.
 *
 * <p>{@code {"format":1,"algorithm":"Ed25519","keyId":"3f2a…","digest":"<hex>","signature":"<base64>"}}:
 * the Ed25519 signature of the ASCII text {@code molt-bundle-v1 sha256:<digest hex>}.
 */
public record BundleSignature(int format, String algorithm, String keyId, String digest, String signature) {
  public static final String ENTRY = "molt-signature.json";
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  /** Signs a digest with a pair whose public half gives the key id. */
  public static BundleSignature sign(byte[] digest, KeyPair key) {
    try {
      Signature ed = Signature.getInstance(SigningKeys.ALGORITHM);
      ed.initSign(key.getPrivate());
      ed.update(message(digest));
      return new BundleSignature(1, SigningKeys.ALGORITHM, SigningKeys.keyId(key.getPublic()),
          HexFormat.of().formatHex(digest), Base64.getEncoder().encodeToString(ed.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + SigningKeys.ALGORITHM + ": " + e.getMessage(), e);
    }
  }

  /** Whether this signature, by {@code key}, covers {@code digest}. */
  public boolean matches(byte[] digest, PublicKey key) {
    try {
      Signature ed = Signature.getInstance(SigningKeys.ALGORITHM);
      ed.initVerify(key);
      ed.update(message(digest));
      return ed.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public static BundleSignature parse(byte[] json) throws BundleSignatureException {
    BundleSignature read;
    try {
      read = JSON.readValue(json, BundleSignature.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BundleSignatureException("malformed " + ENTRY + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BundleSignatureException("malformed " + ENTRY + ": " + e.getMessage());
    }
    if (read.format() != 1 || !SigningKeys.ALGORITHM.equals(read.algorithm())) {
      throw new BundleSignatureException("malformed " + ENTRY + ": format 1 and algorithm " + SigningKeys.ALGORITHM
          + " expected, was format " + read.format() + " and algorithm " + read.algorithm());
    }
    if (read.keyId() == null || !read.keyId().matches("[0-9a-f]{16}") || read.signature() == null) {
      throw new BundleSignatureException("malformed " + ENTRY + ": keyId (16 hex digits) and signature are required");
    }
    return read;
  }

  public byte[] toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] message(byte[] digest) {
    return ("molt-bundle-v1 sha256:" + HexFormat.of().formatHex(digest)).getBytes(StandardCharsets.US_ASCII);
  }
}
