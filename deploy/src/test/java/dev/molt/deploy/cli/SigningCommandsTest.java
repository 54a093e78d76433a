package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moltctl keygen}, {@code sign} and {@code verify}: a round trip on a bundle, no node involved. */
class SigningCommandsTest {
  private static final Map<String, String> ENV = Map.of("HOME", "/nonexistent");

  @TempDir Path dir;

  @Test
  void keygenSignVerifyRoundTrip() throws Exception {
    Path bundle = bundle(dir.resolve("app-1.0.0.molt"));
    Recorded.Run keygen = Recorded.moltctl(ENV, false, "keygen", "--out", dir.resolve("keys").toString());
    assertEquals(0, keygen.exit(), keygen.toString());
    Path privateKey = dir.resolve("keys/molt-signing.key");
    Path publicKey = dir.resolve("keys/molt-signing.pub");
    String keyId = SigningKeys.keyId(SigningKeys.readPublic(publicKey));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
    assertTrue(keygen.out().startsWith("wrote " + privateKey + " (secret, mode 0600) and " + publicKey + ", key id " + keyId
        + "; nodes trust it with molt.bundle.trusted-keys = [\"MCowBQYDK2Vw"), keygen.out());

    Recorded.Run unsigned = Recorded.moltctl(ENV, false, "verify", bundle.toString(), "--trusted", publicKey.toString());
    assertEquals(1, unsigned.exit(), unsigned.toString());
    assertEquals("moltctl: " + bundle + ": unsigned bundle: it has no molt-signature.json, and this node needs a signature by "
        + "a trusted key (trusted keys " + keyId + " (molt.bundle.trusted-keys))" + System.lineSeparator(), unsigned.err());

    Recorded.Run sign = Recorded.moltctl(ENV, false, "sign", bundle.toString(), "--key", privateKey.toString());
    assertEquals(0, sign.exit(), sign.toString());
    assertTrue(sign.out().startsWith("signed " + bundle + " with key " + keyId + " (digest "), sign.out());
    assertEquals(keyId, SignedBundle.read(bundle).signature().keyId());

    String base64 = SigningKeys.base64(SigningKeys.readPublic(publicKey));
    Recorded.Run verify = Recorded.moltctl(ENV, false, "verify", bundle.toString(), "--trusted", base64);
    assertEquals(0, verify.exit(), verify.toString());
    assertEquals(bundle + ": signed by trusted key " + keyId + System.lineSeparator(), verify.out());

    Recorded.Run again = Recorded.moltctl(ENV, false, "keygen", "--out", dir.resolve("keys").toString());
    assertEquals(1, again.exit(), again.toString());
    assertEquals("moltctl: will not overwrite the key in " + dir.resolve("keys") + " (molt-signing.key or molt-signing.pub exists)"
        + System.lineSeparator(), again.err());

    Recorded.Run other = Recorded.moltctl(ENV, false, "keygen", "--out", dir.resolve("other").toString());
    assertEquals(0, other.exit(), other.toString());
    String otherId = SigningKeys.keyId(SigningKeys.readPublic(dir.resolve("other/molt-signing.pub")));
    Recorded.Run unknown = Recorded.moltctl(ENV, false, "verify", bundle.toString(), "--trusted",
        dir.resolve("other/molt-signing.pub").toString());
    assertEquals(1, unknown.exit(), unknown.toString());
    assertEquals("moltctl: " + bundle + ": signed by unknown key " + keyId + "; trusted keys " + otherId
        + " (molt.bundle.trusted-keys)" + System.lineSeparator(), unknown.err());
  }

  private static Path bundle(Path file) throws Exception {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("molt-release.json"));
      zip.write("{\"name\": \"app\", \"version\": \"1.0.0\", \"behaviours\": []}".getBytes());
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("lib/app-1.0.0.jar"));
      zip.write(new byte[] {1, 2, 3});
      zip.closeEntry();
    }
    return file;
  }
}
