package dev.molt.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.testing.DevKey;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.RawBundles;
import dev.molt.node.testing.TestBundles;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.signing.BundleSignature;
import dev.molt.protocol.signing.SignedBundle;
import dev.molt.protocol.signing.SigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node loads a bundle only when a trusted key signed exactly its contents, and refuses it before
 * any of its code runs, leaving nothing in the store.
 */
class BundleSignatureTest {
  private static final KeyPair ROTATED_IN = SigningKeys.generate();
  private static final KeyPair UNKNOWN = SigningKeys.generate();
  private static final String DEV_ID = SigningKeys.keyId(DevKey.pair().getPublic());
  private static final String ROTATED_ID = SigningKeys.keyId(ROTATED_IN.getPublic());
  private static final String UNKNOWN_ID = SigningKeys.keyId(UNKNOWN.getPublic());

  @TempDir Path dir;

  @Test
  void refusesUnsignedUnknownAndTamperedBundlesBeforeLoadingAnyOfTheirCode() throws Exception {
    try (MoltTestKit molt = MoltTestKit.create()) {
      // spin-1.0.0's static initialiser never returns: loaded, it would fail on the warm timeout.
      Path unsigned = RawBundles.zipUnsigned(dir.resolve("spin-1.0.0.molt"), RawBundles.entriesOf(TestBundles.bundle("spin", "1.0.0")));
      assertRefused(molt, unsigned, "invalid bundle spin-1.0.0.molt: unsigned bundle: it has no molt-signature.json, "
          + "and this node needs a signature by a trusted key (trusted keys " + DEV_ID + " (molt.bundle.trusted-keys))");

      Path foreign = dir.resolve("foreign/spin-1.0.0.molt");
      SignedBundle.sign(unsigned, UNKNOWN, foreign);
      assertRefused(molt, foreign, "invalid bundle spin-1.0.0.molt: signed by unknown key " + UNKNOWN_ID
          + "; trusted keys " + DEV_ID + " (molt.bundle.trusted-keys)");

      List<Map.Entry<String, byte[]>> entries = RawBundles.entriesOf(TestBundles.counter("1.0.0"));
      byte[] signature = DevKey.signatureOf(entries);
      entries.add(Map.entry("NOTES.txt", "added after signing".getBytes(StandardCharsets.UTF_8)));
      entries.add(Map.entry(BundleSignature.ENTRY, signature));
      Path tampered = RawBundles.zipUnsigned(dir.resolve("counter-1.0.0.molt"), entries);
      assertRefused(molt, tampered, "invalid bundle counter-1.0.0.molt: signature does not match the bundle's contents (key "
          + DEV_ID + "): an entry was changed, added or removed after signing");

      assertEquals(0, ReleaseRegistry.get(molt.kit.system()).counters().stuckThreads(), "no release code ran");
      assertEquals(List.of(), molt.registry().store().list());
      assertEquals(0, files(molt.store.resolve("releases")) + files(molt.store.resolve("staging")), "nothing left in the store");
      assertEquals(new ReleaseId("counter", "1.0.0"), molt.registry().unpack(TestBundles.counter("1.0.0")).id(),
          "the bundle as signed loads");
    }
  }

  @Test
  void twoTrustedKeysAcceptBundlesByEitherAndRefuseAThird() throws Exception {
    String config = "molt.bundle.trusted-keys = [\"" + System.getenv("MOLT_TRUSTED_KEYS") + "\", \""
        + SigningKeys.base64(ROTATED_IN.getPublic()) + "\"]";
    try (MoltTestKit molt = MoltTestKit.create(config)) {
      Path byNewKey = dir.resolve("counter-2.0.0.molt");
      SignedBundle.sign(TestBundles.counter("2.0.0"), ROTATED_IN, byNewKey);
      Path byThirdKey = dir.resolve("third/counter-3.0.0.molt");
      SignedBundle.sign(TestBundles.counter("3.0.0"), UNKNOWN, byThirdKey);

      assertEquals(new ReleaseId("counter", "1.0.0"), molt.registry().unpack(TestBundles.counter("1.0.0")).id(), "old key");
      assertEquals(new ReleaseId("counter", "2.0.0"), molt.registry().unpack(byNewKey).id(), "new key");
      assertRefused(molt, byThirdKey, "invalid bundle counter-3.0.0.molt: signed by unknown key " + UNKNOWN_ID
          + "; trusted keys " + DEV_ID + ", " + ROTATED_ID + " (molt.bundle.trusted-keys)");
      assertEquals(2, molt.registry().store().list().size());
    }
  }

  @Test
  void withSignaturesOffAnUnsignedBundleLoads() throws Exception {
    try (MoltTestKit molt = MoltTestKit.create("molt.bundle.require-signature = off")) {
      Path unsigned = RawBundles.zipUnsigned(dir.resolve("counter-1.0.0.molt"), RawBundles.entriesOf(TestBundles.counter("1.0.0")));
      assertEquals(new ReleaseId("counter", "1.0.0"), molt.registry().unpack(unsigned).id());
    }
  }

  private static void assertRefused(MoltTestKit molt, Path bundle, String message) {
    InvalidBundleException refused = assertThrows(InvalidBundleException.class, () -> molt.registry().unpack(bundle));
    assertEquals(message, refused.getMessage());
  }

  private static long files(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
