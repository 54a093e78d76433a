package dev.molt.node.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a new release's code once before any actor depends on it: instantiates each behaviour's
 * initial state, round-trips it through JSON, and runs every migration between it and the other
 * loaded versions on a sample state. A cold first swap costs 100+ ms of class loading and JIT;
 * doing it here keeps that out of the actors' pause, and a migration that cannot run at all is
 * found before the point of no return (OTP's relup checks that code exists; this runs it).
 */
final class ReleaseWarmer {
  private static final Logger log = LoggerFactory.getLogger(ReleaseWarmer.class);

  private ReleaseWarmer() {}

  /**
   * Warms {@code release} against {@code others}. Runs on a release-code thread: the registry
   * bounds it by {@code molt.release.warm-timeout}.
   */
  static void warm(String source, LoadedRelease release, Collection<LoadedRelease> others)
      throws InvalidBundleException {
    JsonNode extra = JsonNodeFactory.instance.objectNode();
    for (LoadedBehaviour fresh : release.behaviours()) {
      Object sample = sample(fresh);
      if (sample == null) {
        continue;
      }
      step(source, fresh + ": state JSON round trip", () -> fresh.decodeState(fresh.encodeState(sample)));
      for (LoadedRelease other : others) {
        if (other == release) {
          continue;
        }
        LoadedBehaviour peer = other.behaviour(fresh.name()).orElse(null);
        Object peerSample = peer == null ? null : sample(peer);
        if (peerSample == null) {
          continue;
        }
        boolean freshIsNewer = fresh.version() > peer.version();
        LoadedBehaviour newer = freshIsNewer ? fresh : peer;
        LoadedBehaviour older = freshIsNewer ? peer : fresh;
        Object newerSample = freshIsNewer ? sample : peerSample;
        Object olderSample = freshIsNewer ? peerSample : sample;
        if (newer.version() == older.version()) {
          step(source, fresh + ": reading the state of " + peer, () -> fresh.decodeState(peer.encodeState(peerSample)));
          continue;
        }
        if (newer.migratesUpFrom(older.version())) {
          step(source, "migrateUp of " + newer + " from v" + older.version() + " on the initial state of " + older,
              () -> newer.migrateUp(older.version(), older.encodeState(olderSample), extra));
        }
        if (newer.migratesDownTo(older.version())) {
          step(source, "migrateDown of " + newer + " to v" + older.version() + " on its initial state",
              () -> older.decodeState(newer.migrateDown(older.version(), newerSample, extra)));
        }
      }
    }
  }

  /** A behaviour's initial state with no start argument, or null when it needs one. */
  private static Object sample(LoadedBehaviour behaviour) {
    try {
      return behaviour.initialState(NullNode.getInstance());
    } catch (Exception e) {
      log.warn("warm-up: {} has no initial state without a start argument ({}); its migrations run cold", behaviour, e.toString());
      return null;
    }
  }

  private interface Step {
    Object run() throws Exception;
  }

  private static void step(String source, String what, Step step) throws InvalidBundleException {
    try {
      step.run();
    } catch (Exception e) {
      throw new InvalidBundleException(source, "warm-up: " + what + " failed: " + e, e);
    }
  }
}
