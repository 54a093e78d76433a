package dev.molt.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSigningTest {
  @TempDir Path dir;

  @Test
  void keyFilesRoundTripWithOwnerOnlyPrivateKeyAndTheSameId() throws Exception {
    KeyPair written = SigningKeys.writeNew(dir);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("molt-signing.key"))));
    assertTrue(Files.readString(dir.resolve("molt-signing.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    KeyPair read = SigningKeys.readPrivate(dir.resolve("molt-signing.key"));
    assertArrayEquals(written.getPublic().getEncoded(), read.getPublic().getEncoded(), "public key derived from the private one");
    assertEquals(SigningKeys.keyId(written.getPublic()), SigningKeys.keyId(SigningKeys.readPublic(dir.resolve("molt-signing.pub"))));
    assertTrue(SigningKeys.base64(written.getPublic()).startsWith(SigningKeys.BASE64_PREFIX));
    assertEquals(SigningKeys.keyId(written.getPublic()),
        SigningKeys.keyId(SigningKeys.parseTrusted(SigningKeys.base64(written.getPublic()))));
    assertEquals("'" + dir.resolve("missing.pub") + "' is neither a readable .pub file nor a base64 Ed25519 key (which "
        + "starts with MCowBQYDK2Vw)",
        assertThrows(IOException.class, () -> SigningKeys.parseTrusted(dir.resolve("missing.pub").toString())).getMessage());
    IOException again = assertThrows(IOException.class, () -> SigningKeys.writeNew(dir));
    assertTrue(again.getMessage().startsWith("will not overwrite the key in"), again.getMessage());
  }

  @Test
  void signedBundleVerifiesAndTheDigestIgnoresEntryOrder() throws Exception {
    KeyPair key = SigningKeys.generate();
    Path a = zip("a.molt", Map.of("molt-release.json", "{}", "lib/x.jar", "x"), List.of("molt-release.json", "lib/x.jar"));
    Path b = zip("b.molt", Map.of("molt-release.json", "{}", "lib/x.jar", "x"), List.of("lib/x.jar", "molt-release.json"));
    assertArrayEquals(SignedBundle.read(a).digest(), SignedBundle.read(b).digest());
    assertNull(SignedBundle.read(a).signature());

    BundleSignature signature = SignedBundle.sign(a, key, a);
    SignedBundle signed = SignedBundle.read(a);
    assertEquals(signature, signed.signature());
    TrustedKeys trusted = new TrustedKeys(List.of(key.getPublic()));
    assertEquals(SigningKeys.keyId(key.getPublic()), trusted.verify(signed.signature(), signed.digest()));
    SignedBundle.sign(a, key, a);
    assertEquals(signature, SignedBundle.read(a).signature(), "signing again replaces the entry with the same one");
  }

  @Test
  void refusalsNameTheReasonAndTheKey() throws Exception {
    KeyPair first = SigningKeys.generate();
    KeyPair second = SigningKeys.generate();
    KeyPair third = SigningKeys.generate();
    TrustedKeys trusted = new TrustedKeys(List.of(first.getPublic(), second.getPublic()));
    String firstId = SigningKeys.keyId(first.getPublic());
    String secondId = SigningKeys.keyId(second.getPublic());
    String thirdId = SigningKeys.keyId(third.getPublic());
    byte[] digest = new byte[32];

    assertEquals(firstId, trusted.verify(BundleSignature.sign(digest, first), digest));
    assertEquals(secondId, trusted.verify(BundleSignature.sign(digest, second), digest));
    assertEquals("signed by unknown key " + thirdId + "; trusted keys " + firstId + ", " + secondId
        + " (molt.bundle.trusted-keys)",
        assertThrows(BundleSignatureException.class, () -> trusted.verify(BundleSignature.sign(digest, third), digest)).getMessage());
    assertEquals("unsigned bundle: it has no molt-signature.json, and this node needs a signature by a trusted key (trusted keys "
        + firstId + ", " + secondId + " (molt.bundle.trusted-keys))",
        assertThrows(BundleSignatureException.class, () -> trusted.verify(null, digest)).getMessage());
    byte[] other = new byte[32];
    other[0] = 1;
    assertEquals("signature does not match the bundle's contents (key " + firstId
        + "): an entry was changed, added or removed after signing",
        assertThrows(BundleSignatureException.class, () -> trusted.verify(BundleSignature.sign(digest, first), other)).getMessage());
    assertTrue(assertThrows(BundleSignatureException.class,
        () -> BundleSignature.parse("{\"format\":1}".getBytes(StandardCharsets.UTF_8))).getMessage()
        .startsWith("malformed molt-signature.json: "));
  }

  private Path zip(String name, Map<String, String> entries, List<String> order) throws IOException {
    Path file = dir.resolve(name);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (String entry : order) {
        out.putNextEntry(new ZipEntry(entry));
        out.write(entries.get(entry).getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return file;
  }
}
