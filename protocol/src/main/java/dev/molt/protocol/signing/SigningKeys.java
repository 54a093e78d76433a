package dev.molt.protocol.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 key files, in the PEM forms OpenSSL reads and writes: the private key as PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}, {@code openssl genpkey -algorithm ed25519} writes the same),
 * the public key as X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}). A key is named
 * in errors and logs by its id: the first 8 bytes of the SHA-256 of its X.509 encoding, in hex.
 */
public final class SigningKeys {
  public static final String ALGORITHM = "Ed25519";
  public static final String PRIVATE_KEY_FILE = "molt-signing.key";
  public static final String PUBLIC_KEY_FILE = "molt-signing.pub";
  /** Every Ed25519 X.509 public key's base64 starts so (its fixed DER header). */
  public static final String BASE64_PREFIX = "MCowBQYDK2Vw";
  private static final String PRIVATE_PEM = "PRIVATE KEY";
  private static final String PUBLIC_PEM = "PUBLIC KEY";

  private SigningKeys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
    }
  }

  /** The key's id: hex of the first 8 bytes of SHA-256 over its X.509 encoding. */
  public static String keyId(PublicKey key) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(Arrays.copyOf(sha, 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Writes {@code molt-signing.key} (mode 0600 where the file system has POSIX modes; created with
   * it, never widened after) and {@code molt-signing.pub} in {@code dir}. Refuses to overwrite a key.
   */
  public static KeyPair writeNew(Path dir) throws IOException {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    if (Files.exists(privateFile) || Files.exists(publicFile)) {
      throw new IOException("will not overwrite the key in " + dir + " (" + PRIVATE_KEY_FILE + " or "
          + PUBLIC_KEY_FILE + " exists)");
    }
    Files.createDirectories(dir);
    KeyPair pair = generate();
    Path tmp = dir.resolve(PRIVATE_KEY_FILE + ".tmp");
    Files.deleteIfExists(tmp);
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, pem(PRIVATE_PEM, pair.getPrivate().getEncoded()));
    Files.move(tmp, privateFile, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(publicFile, pem(PUBLIC_PEM, pair.getPublic().getEncoded()));
    return pair;
  }

  /** Reads a pair from a private key file; the public key is derived from it. */
  public static KeyPair readPrivate(Path file) throws IOException {
    byte[] der = unpem(file, PRIVATE_PEM);
    try {
      PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
      return new KeyPair(publicOf(key), key);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not an Ed25519 private key in PKCS#8: " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublic(Path file) throws IOException {
    byte[] der = unpem(file, PUBLIC_PEM);
    try {
      return publicFromX509(der);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * A trusted key as configured: the base64 of its X.509 encoding (it starts with
   * {@value #BASE64_PREFIX}) or else the path of a {@code .pub} file.
   */
  public static PublicKey parseTrusted(String entry) throws IOException {
    String value = entry.strip();
    if (value.startsWith(BASE64_PREFIX)) {
      try {
        return publicFromX509(Base64.getDecoder().decode(value));
      } catch (IllegalArgumentException e) {
        throw new IOException("'" + value + "' is not a base64 Ed25519 public key: " + e.getMessage(), e);
      }
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new IOException("'" + value + "' is neither a readable .pub file nor a base64 Ed25519 key (which starts with "
          + BASE64_PREFIX + ")");
    }
    return readPublic(file);
  }

  public static String base64(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  private static PublicKey publicFromX509(byte[] der) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * The public half of an Ed25519 private key. PKCS#8 v1 (what the JDK and OpenSSL write) does not
   * carry it, and the JDK derives it only while generating a pair: so a pair is generated from the
   * private key's own 32-byte seed.
   */
  private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
    byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes()
        .orElseThrow(() -> new GeneralSecurityException("the private key hides its bytes"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
    generator.initialize(new java.security.spec.NamedParameterSpec(ALGORITHM), new FixedRandom(seed));
    return generator.generateKeyPair().getPublic();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + " has no '" + begin + "' block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": bad base64 in its '" + begin + "' block: " + e.getMessage(), e);
    }
  }

  /** Hands the key generator the private key's own seed, so it derives that key's public half. */
  private static final class FixedRandom extends java.security.SecureRandom {
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}
