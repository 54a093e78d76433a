package dev.molt.node.licence;

import akka.actor.CoordinatedShutdown;
import com.typesafe.config.Config;
import dev.molt.protocol.control.ControlMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What Akka's licence check will do to this node's ActorSystem, decided the way Akka 2.8.8's
 * {@code ActorSystemImpl.checkLicenseKey} decides it. The check itself is Akka's and runs untouched;
 * Molt only says in advance what it will do, because a node that simply vanishes at minute 15 is
 * the worst way for an operator to learn about the key.
 *
 * <p>Akka 2.8.8, read from its bytecode: an empty {@code akka.license-key} logs "Dev use only" and
 * schedules {@code terminate()} 15 minutes after start, unless today's date (system zone) is after
 * its build date (2024-10-28) plus three years. A non-empty key is validated at start; an invalid
 * one makes {@code ActorSystem.create} throw "Invalid key: ..." (the node never starts), a valid
 * but expired one terminates after 15 to 20 minutes with Akka's own ERROR "Expired key".
 *
 * @param stopsAt when Akka terminates the ActorSystem; null when a key is set or Akka skips the check
 */
public record AkkaLicence(boolean keySet, Instant started, Instant stopsAt) {
  /** The Akka version the constants below were read from; {@code AkkaLicenceTest} fails on another. */
  public static final String AKKA_VERSION = "2.8.8";
  /** Akka 2.8.8's build time as {@code checkLicenseKey} holds it (2024-10-28T07:52:27Z). */
  static final long AKKA_BUILD_MILLIS = 1730101947000L;
  static final int CHECK_YEARS = 3;
  public static final Duration DEV_WINDOW = Duration.ofMinutes(15);
  /** The readiness check turns the node not-ready this long before Akka stops it. */
  public static final Duration LAST_MINUTE = Duration.ofMinutes(1);

  /**
   * @param startTimeMillis the ActorSystem's {@code startTime()}: Akka schedules its timer while
   *     starting, a moment later, so the real stop is at most that moment after {@link #stopsAt}
   * @param clock Akka compares {@code LocalDate.now()} in the system zone; tests pass another clock
   */
  public static AkkaLicence of(Config config, long startTimeMillis, Clock clock) {
    boolean keySet = !config.getString("akka.license-key").isEmpty();
    Instant started = Instant.ofEpochMilli(startTimeMillis);
    return new AkkaLicence(keySet, started, keySet || checkSkipped(clock) ? null : started.plus(DEV_WINDOW));
  }

  /** Akka skips its check once it is more than three years old: from the day after 2027-10-28. */
  static boolean checkSkipped(Clock clock) {
    LocalDate built = Instant.ofEpochMilli(AKKA_BUILD_MILLIS).atZone(clock.getZone()).toLocalDate();
    return LocalDate.now(clock).isAfter(built.plusYears(CHECK_YEARS));
  }

  public boolean stops() {
    return stopsAt != null;
  }

  public boolean inLastMinute(Instant now) {
    return stops() && !now.isBefore(stopsAt.minus(LAST_MINUTE));
  }

  public ControlMessages.Licence status() {
    return new ControlMessages.Licence(keySet, stopsAt);
  }

  /** The one WARN a keyless node logs at start. */
  public String startWarning() {
    return "Akka licence: no akka.license-key is set (MOLT_AKKA_LICENSE_KEY), so Akka " + AKKA_VERSION
        + " will terminate this node at " + stopsAt + ", " + DEV_WINDOW.toMinutes()
        + " minutes after its ActorSystem started at " + started + " (Akka's dev-use limit; its timer, set while the"
        + " system starts, may fire seconds later). Free development"
        + " keys: https://akka.io/key; production use needs a licence under Akka's (Lightbend's) terms."
        + " Set MOLT_AKKA_LICENSE_KEY (or akka.license-key) and restart the node.";
  }

  /**
   * Whether a shutdown for {@code reason} at {@code now} is Akka's licence timer: it calls
   * {@code terminate()} (reason {@code ActorSystemTerminateReason}) once the window has passed. Any
   * other code terminating a keyless node after minute 15 would be named the same way; Molt itself
   * terminates only at start (management HTTP failing to bind).
   */
  public boolean endedWindow(CoordinatedShutdown.Reason reason, Instant now) {
    return stops() && reason == CoordinatedShutdown.actorSystemTerminateReason() && !now.isBefore(stopsAt);
  }

  public String windowEnded() {
    return "node stopping: Akka's dev licence window ended (no akka.license-key): Akka " + AKKA_VERSION
        + " terminates an ActorSystem without a key " + DEV_WINDOW.toMinutes() + " minutes after start (started "
        + started + "). Set MOLT_AKKA_LICENSE_KEY (free development keys at https://akka.io/key).";
  }

  /**
   * Molt's line for Akka refusing the key at start ({@code ActorSystem.create} throws "Invalid key:
   * ..." after Akka's ERROR "Invalid key"), so the node's exit names the setting to fix.
   */
  public static Optional<String> refusedKey(Throwable startFailure) {
    String message = startFailure.getMessage();
    if (message == null || !message.startsWith("Invalid key: ")) {
      return Optional.empty();
    }
    return Optional.of("node not started: Akka " + AKKA_VERSION + " refused akka.license-key (set from MOLT_AKKA_LICENSE_KEY"
        + " or application.conf): " + message + ". Keys at https://akka.io/key; unset it for Akka's 15-minute dev use.");
  }

  /** The reason in the readiness check's message during the last minute. */
  public String lastMinute() {
    return "licence: stops at " + stopsAt + " (Akka's dev-use limit; no akka.license-key, set MOLT_AKKA_LICENSE_KEY)";
  }
}
