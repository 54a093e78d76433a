package dev.molt.orchestrator.auth;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.typesafe.config.Config;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's credentials, once per actor system: its {@link Users} (and their fingerprint, which
 * the orchestrator compares across the cluster), the {@link FailureLimiter} of failed attempts, the cap on concurrent password derivations,
 * whether reads are open ({@code molt.http.open-reads}), and the refusals counted for {@code /molt/metrics}.
 */
public final class Credentials implements Extension {
  private static final Logger log = LoggerFactory.getLogger(Credentials.class);

  /** Why a request was refused, as the metric labels it. */
  public enum Refusal {
    UNAUTHORIZED, FORBIDDEN, THROTTLED, LOGINS_BUSY, CREDENTIALS_DIFFER;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final boolean enabled;
  private final boolean openReads;
  private final Users users;
  private final FailureLimiter limiter;
  private final int maxConcurrentLogins;
  private final Semaphore derivations;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter refusals = Counter.builder().name("molt_http_auth_refusals_total")
      .help("requests refused by authentication or authorization, by reason").labelNames("reason").register(registry);

  private Credentials(Config config) {
    Config http = config.getConfig("molt.http");
    this.enabled = http.getBoolean("auth");
    this.openReads = http.getBoolean("open-reads");
    this.users = UsersConfig.load(config);
    this.limiter = FailureLimiter.from(config);
    int configured = http.getInt("max-concurrent-logins");
    if (configured < 0) {
      throw new IllegalArgumentException("molt.http.max-concurrent-logins must be 0 (the cores) or more, not " + configured);
    }
    this.maxConcurrentLogins = configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
    this.derivations = new Semaphore(maxConcurrentLogins);
    if (!enabled) {
      log.warn("molt.http.auth = off: every route accepts anyone as admin (development only)");
    }
    log.info("credentials: {} user(s), fingerprint {}, open-reads={}", users.size(), Users.prefix(users.fingerprint()), openReads);
  }

  public boolean enabled() {
    return enabled;
  }

  public boolean openReads() {
    return openReads;
  }

  public Users users() {
    return users;
  }

  public FailureLimiter limiter() {
    return limiter;
  }

  /**
   * Takes one of the {@code molt.http.max-concurrent-logins} places for a password derivation,
   * whichever client asks, so that wrong guesses cannot occupy every core; false when all are taken.
   */
  public boolean startDerivation() {
    return derivations.tryAcquire();
  }

  public void derivationDone() {
    derivations.release();
  }

  public int maxConcurrentLogins() {
    return maxConcurrentLogins;
  }

  public void refused(Refusal why) {
    refusals.labelValues(why.label()).inc();
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public static Credentials get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  private static final class Id extends ExtensionId<Credentials> {
    static final Id INSTANCE = new Id();

    @Override
    public Credentials createExtension(ActorSystem<?> system) {
      return new Credentials(system.settings().config());
    }
  }
}
