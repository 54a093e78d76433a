package dev.molt.node.licence;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's word on Akka's licence: at start one WARN naming when a keyless node will stop (or one
 * INFO that a key is set), and at shutdown one line naming the cause, ERROR when it is Akka's
 * licence timer. Loaded at ActorSystem start through {@code akka.actor.typed.extensions} in
 * {@code molt-node.conf}; the cluster agent and the readiness check read {@link #licence()}.
 */
public final class LicenceNotice implements Extension {
  private static final Logger log = LoggerFactory.getLogger(LicenceNotice.class);

  public static final class Id extends ExtensionId<LicenceNotice> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    /** Akka's loader of {@code akka.actor.typed.extensions} finds a Java extension id by this accessor. */
    public static Id getInstance() {
      return INSTANCE;
    }

    @Override
    public LicenceNotice createExtension(ActorSystem<?> system) {
      return new LicenceNotice(system, Clock.systemDefaultZone());
    }
  }

  private final AkkaLicence licence;

  private LicenceNotice(ActorSystem<?> system, Clock clock) {
    this.licence = AkkaLicence.of(system.settings().config(), system.startTime(), clock);
    if (licence.stops()) {
      log.warn(licence.startWarning());
    } else if (licence.keySet()) {
      log.info("Akka licence: akka.license-key is set (Akka validated it at start)");
    } else {
      log.info("Akka licence: no akka.license-key, and Akka {} skips its check (more than {} years old)",
          AkkaLicence.AKKA_VERSION, AkkaLicence.CHECK_YEARS);
    }
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "molt-exit-cause", () -> {
      var reason = CoordinatedShutdown.get(system).getShutdownReason()
          .orElse(CoordinatedShutdown.unknownReason());
      if (licence.endedWindow(reason, clock.instant())) {
        log.error(licence.windowEnded());
      } else {
        log.info("node stopping ({})", reason);
      }
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  public static LicenceNotice get(ActorSystem<?> system) {
    return Id.getInstance().apply(system);
  }

  public AkkaLicence licence() {
    return licence;
  }
}
