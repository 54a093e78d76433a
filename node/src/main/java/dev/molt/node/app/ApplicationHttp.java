package dev.molt.node.app;

import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.molt.node.json.MoltJson;
import dev.molt.node.release.LoadedRelease;
import dev.molt.node.release.ReleaseRegistry;
import dev.molt.node.spi.ApplicationRoutes;
import dev.molt.protocol.release.ReleaseId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application port ({@code molt.app.http.port}): serves the current release's {@link
 * ApplicationRoutes}, apart from the management port. When a release becomes current its routes
 * are built and swapped in atomically; a request runs to its end on the routes it started on, and
 * the replaced routes (with the release's code they hold) are dropped as soon as their last
 * request completes, so a later purge finds nothing of them.
 */
public final class ApplicationHttp implements Extension {
  private static final Logger log = LoggerFactory.getLogger(ApplicationHttp.class);

  public static final ExtensionId<ApplicationHttp> ID =
      new ExtensionId<>() {
        @Override
        public ApplicationHttp createExtension(ActorSystem<?> system) {
          return new ApplicationHttp(system);
        }
      };

  private final ActorSystem<?> system;
  private final AppSettings settings;
  private final ObjectMapper stable;
  private final AppResponses responses;
  private final EntityDirectory entities;
  private final Executor mounting;
  private final AtomicReference<Mounted> mounted =
      new AtomicReference<>(new Mounted.Unavailable(null, "no release is running on this node yet"));

  private ApplicationHttp(ActorSystem<?> system) {
    this.system = system;
    this.settings = AppSettings.from(system.settings().config());
    this.stable = MoltJson.stable(ActorRefResolver.get(system));
    this.responses = new AppResponses(stable);
    this.entities = new ShardedEntities(system, new TreeEntities(system));
    this.mounting = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  public static ApplicationHttp get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Follows the release registry's current release (from the one current now) and, when {@code
   * molt.app.http.port} is set, binds the port. A failed bind stops the node: an operator asked for
   * the port.
   */
  public void start() {
    ReleaseRegistry registry = ReleaseRegistry.get(system);
    registry.onCurrent(release -> mounting.execute(() -> remount(registry, release.id())));
    if (settings.port().isEmpty()) {
      log.info("application HTTP off (molt.app.http.port / MOLT_APP_PORT not set)");
      return;
    }
    Http.get(system).newServerAt(settings.hostname(), settings.port().getAsInt())
        .bind(this::handle)
        .whenComplete((binding, failure) -> {
          if (failure != null) {
            log.error("application HTTP did not start on {}:{} ({}); stopping the node", settings.hostname(),
                settings.port().getAsInt(), failure.getMessage());
            system.terminate();
          } else {
            log.info("application HTTP at {} (the current release's routes)", binding.localAddress());
          }
        });
  }

  /** The release whose routes the application port serves now, empty when none. */
  public Optional<ReleaseId> serving() {
    return mounted.get() instanceof Mounted.Serving serving ? Optional.of(serving.release()) : Optional.empty();
  }

  /**
   * Answers one request with the routes mounted now (the bound port calls this; tests may too). The
   * request uses their release until it completes: a purge of that release is refused meanwhile.
   */
  public CompletionStage<HttpResponse> handle(HttpRequest request) {
    // A release is purged only once it is no longer current, so at most one replaced mount is missed.
    for (int attempt = 0; attempt < 3; attempt++) {
      Mounted now = mounted.get();
      if (now instanceof Mounted.Unavailable unavailable) {
        request.discardEntityBytes(system);
        return CompletableFuture.completedFuture(
            responses.problem(StatusCodes.SERVICE_UNAVAILABLE, "no application routes", unavailable.reason()));
      }
      Mounted.Serving serving = (Mounted.Serving) now;
      if (serving.code().tryUse()) {
        return serve(serving, request).whenComplete((response, failure) -> serving.code().unuse());
      }
    }
    request.discardEntityBytes(system);
    return CompletableFuture.completedFuture(responses.problem(StatusCodes.SERVICE_UNAVAILABLE, "no application routes",
        "the routes changed while the request arrived; try again"));
  }

  private CompletionStage<HttpResponse> serve(Mounted.Serving serving, HttpRequest request) {
    try {
      return serving.handler().apply(request);
    } catch (Exception e) {
      return CompletableFuture.completedFuture(responses.failure(request.method().value() + " " + request.getUri().path(), e));
    }
  }

  /** Serially, on the blocking dispatcher: the registry's current release at the time it runs wins. */
  private synchronized void remount(ReleaseRegistry registry, ReleaseId changed) {
    Optional<LoadedRelease> current = registry.current(changed.name());
    if (current.isEmpty()) {
      mounted.set(new Mounted.Unavailable(null, "no release of '" + changed.name() + "' is current on this node"));
      return;
    }
    LoadedRelease release = current.get();
    if (release.id().equals(mounted.get().release())) {
      return;
    }
    long start = System.nanoTime();
    Mounted next;
    try {
      next = RoutesLoader.find(release)
          .<Mounted>map(routes -> new Mounted.Serving(release.id(), release, sealed(release, routes).handler(system)))
          .orElseGet(() -> new Mounted.Unavailable(release.id(), "release " + release.id() + " has no application routes"));
    } catch (RuntimeException e) {
      log.warn("application routes of {} failed to build; the application port answers 503: {}", release.id(), e.toString());
      next = new Mounted.Unavailable(release.id(), "the application routes of release " + release.id() + " failed to build");
    }
    Mounted previous = mounted.getAndSet(next);
    log.info("application routes: {} (was {}) in {} ms", describe(next), describe(previous), (System.nanoTime() - start) / 1_000_000);
  }

  private Route sealed(LoadedRelease release, ApplicationRoutes routes) {
    AppContext context = new AppContext(release, entities, settings, stable, responses);
    ClassLoader loader = release.loaderReference().get();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    Route route;
    try {
      route = routes.routes(context);
    } catch (LinkageError e) {
      throw new IllegalStateException("routes() of " + release.id() + " hit a linkage error: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
    if (route == null) {
      throw new IllegalStateException("routes() of " + release.id() + " returned null");
    }
    String name = "release " + release.id();
    return Directives.handleExceptions(responses.exceptions(name), () -> route)
        .seal(responses.rejections(), responses.exceptions(name));
  }

  private static String describe(Mounted mounted) {
    return mounted instanceof Mounted.Serving s ? "routes of " + s.release() : "none (" + ((Mounted.Unavailable) mounted).reason() + ")";
  }
}
