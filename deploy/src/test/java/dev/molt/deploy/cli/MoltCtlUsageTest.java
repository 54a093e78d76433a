package dev.molt.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage errors (picocli's and moltctl's own) are one line naming what was wrong, with where to read
 * more, and exit code 2; nothing is sent. {@code --help} lists the exit codes.
 */
class MoltCtlUsageTest {
  /** Nothing listens here: a command that got past its usage check would fail with exit 1, not 2. */
  private static final Map<String, String> ENV = Map.of("MOLT_URL", "http://127.0.0.1:9", "HOME", "/nonexistent");

  @TempDir Path dir;

  private static void usageError(String expected, String... args) {
    Recorded.Run run = Recorded.moltctl(ENV, false, args);
    assertEquals(2, run.exit(), run.toString());
    assertEquals(expected + System.lineSeparator(), run.err());
    assertEquals("", run.out());
  }

  @Test
  void anUnknownCommandNamesTheCommands() {
    usageError("moltctl: unknown command 'rolout'; commands: releases, upload, plan, rollout, status, promote, pause, resume, "
        + "abort, undo, history, cluster, state, installs, max-pause, wait-cluster, keygen, sign, verify, hash-password (see: moltctl --help)", "rolout", "2.0.0");
  }

  @Test
  void aMissingParameterIsNamed() {
    usageError("moltctl: Missing required parameter: 'VERSION' (see: moltctl rollout --help)", "rollout");
  }

  @Test
  void aModeOutsideTheClosedSetIsRefused() {
    usageError("moltctl: Invalid value for option '--mode': expected one of [barrier, pipelined] (case-sensitive) but was "
        + "'fast' (see: moltctl rollout --help)", "rollout", "2.0.0", "--mode", "fast");
  }

  @Test
  void aMalformedDurationIsRefused() {
    usageError("moltctl: Invalid value for option '--timeout': '5x' is not a duration like 500ms, 30s, 5m or 1h"
        + " (see: moltctl status --help)", "status", "--timeout", "5x");
  }

  @Test
  void anUnknownOptionIsNamed() {
    usageError("moltctl: Unknown options: '--batches', '2'; did you mean --batch? (see: moltctl rollout --help)", "rollout", "2.0.0", "--batches", "2");
  }

  @Test
  void aBadUrlIsRefused() {
    usageError("moltctl: URL 'localhost:8558' is not an http URL like http://127.0.0.1:8558", "--url", "localhost:8558", "cluster");
  }

  @Test
  void aMalformedActorIsRefused() {
    usageError("moltctl: ACTOR 'room' must be SUPERVISOR/KEY or ENTITY-TYPE/ID, e.g. room/r1", "state", "room");
  }

  @Test
  void aConfigFileWithAnUnknownKeyIsRefused() throws IOException {
    Path config = Files.writeString(dir.resolve("moltctl.properties"), "url=http://127.0.0.1:9\npasword=secret\n");
    usageError("moltctl: config file " + config + ": unknown key(s) [pasword]; known: url, user, password, cacert",
        "--config", config.toString(), "cluster");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    usageError("moltctl: no config file at " + dir.resolve("none") + " (--config)", "cluster", "--config", dir.resolve("none").toString());
  }

  @Test
  void noCommandIsAUsageErrorWithTheUsage() {
    Recorded.Run run = Recorded.moltctl(ENV, false);
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("moltctl: a command is required" + System.lineSeparator() + "Usage: moltctl"), run.err());
  }

  @Test
  void helpListsTheExitCodes() {
    Recorded.Run run = Recorded.moltctl(ENV, false, "status", "--help");
    assertEquals(0, run.exit());
    for (String code : new String[] {"0   success", "1   an error", "2   a usage error", "3   the followed rollout failed",
        "4   the followed rollout was rolled back", "5   the followed rollout was aborted", "6   the rollout (or cluster) did not"}) {
      assertTrue(run.out().contains(code), code + " in:\n" + run.out());
    }
  }
}
