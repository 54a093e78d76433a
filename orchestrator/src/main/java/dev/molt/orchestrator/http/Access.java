package dev.molt.orchestrator.http;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Authorization;
import akka.http.javadsl.model.headers.BasicHttpCredentials;
import akka.http.javadsl.model.headers.HttpChallenge;
import akka.http.javadsl.model.headers.RetryAfter;
import akka.http.javadsl.model.headers.WWWAuthenticate;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import dev.molt.orchestrator.auth.Audit;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.auth.Credentials.Refusal;
import dev.molt.orchestrator.auth.Operation;
import dev.molt.orchestrator.auth.Role;
import dev.molt.orchestrator.auth.User;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Who may do what on Molt's routes. Reads (GET, HEAD) are open with {@code molt.http.open-reads =
 * on}, else they need {@code viewer}; every other request names its {@link Operation}, which needs
 * a role: 401 (with {@code WWW-Authenticate}) without credentials or with wrong ones, 403 when the
 * user's role is too low or this node's credentials are not the cluster's ({@link
 * ClusterCredentials}), 429 (with {@code Retry-After}) once a client's failures used up its bucket
 * ({@link dev.molt.orchestrator.auth.FailureLimiter}; each attempt takes its token before the
 * derivation), 503 (with {@code Retry-After}) when {@code molt.http.max-concurrent-logins}
 * derivations are running. Passwords are derived on the blocking dispatcher, not on the routes' threads. Each operation leaves one {@link Audit} line.
 */
final class Access extends AllDirectives {
  private final Credentials credentials;
  private final ClusterCredentials cluster;
  private final Problems problems;
  private final Executor derivations;

  Access(ActorSystem<?> system, Credentials credentials, ClusterCredentials cluster, Problems problems) {
    this.credentials = credentials;
    this.cluster = cluster;
    this.problems = problems;
    this.derivations = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** {@code inner} as it is for reads when they are open; a read needs {@code viewer} otherwise. */
  Route reads(Route inner) {
    if (!credentials.enabled() || credentials.openReads()) {
      return inner;
    }
    return extractMethod(method -> method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD)
        ? authenticated(user -> user.role().allows(Role.VIEWER) ? inner
            : complete(forbidden(user, "reading", Role.VIEWER)))
        : inner);
  }

  /**
   * {@code inner} told whether the caller signed in (anyone does with auth off): open reads show
   * what is not public, such as credential fingerprints, only then. Wrong credentials are 401 here too.
   */
  Route signedIn(Function<Boolean, Route> inner) {
    if (!credentials.enabled()) {
      return inner.apply(true);
    }
    return extractCredentials(given -> given.isEmpty() ? inner.apply(false) : authenticated(user -> inner.apply(true)));
  }

  /** {@code inner} given the caller, for a user whose role allows {@code operation}; audited whatever the result. */
  Route as(Operation operation, String target, Function<Granted, Route> inner) {
    return extractRequest(request -> {
      AtomicReference<User> who = new AtomicReference<>();
      AtomicReference<Granted> granted = new AtomicReference<>();
      return mapResponse(response -> audited(request, who.get(), operation,
              granted.get() == null ? target : granted.get().target(), response),
          () -> authenticated(user -> {
            who.set(user);
            if (!user.role().allows(operation.needs())) {
              return complete(forbidden(user, operation.phrase(), operation.needs()));
            }
            return onSuccess(cluster.refusal(), refusal -> {
              if (refusal == null) {
                return complete(problems.of(StatusCodes.SERVICE_UNAVAILABLE, "credentials not confirmed",
                    "the orchestrator did not confirm this node's credentials yet; try again"));
              }
              if (refusal.isPresent()) {
                credentials.refused(Refusal.CREDENTIALS_DIFFER);
                return complete(problems.of(StatusCodes.FORBIDDEN, "credentials differ", refusal.get()));
              }
              granted.set(new Granted(cluster.caller(user.name()), target));
              return inner.apply(granted.get());
            });
          }));
    });
  }

  /** The request's user, or its 401/429; failures count against the client's address. */
  private Route authenticated(Function<User, Route> inner) {
    if (!credentials.enabled()) {
      return inner.apply(User.ANONYMOUS);
    }
    return extractRequest(request -> {
      String client = request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress)
          .map(java.net.InetAddress::getHostAddress).orElse("unknown");
      return extractCredentials(given -> {
        if (given.isEmpty() || !(given.get() instanceof BasicHttpCredentials basic)) {
          credentials.refused(Refusal.UNAUTHORIZED);
          return complete(unauthorized("this route needs HTTP basic credentials"));
        }
        OptionalLong wait = credentials.limiter().reserve(client);
        if (wait.isPresent()) {
          credentials.refused(Refusal.THROTTLED);
          return complete(problems.of(StatusCodes.TOO_MANY_REQUESTS, "too many failed logins",
              "too many wrong credentials from " + client + "; try again in " + wait.getAsLong() + " s")
              .addHeader(RetryAfter.create(wait.getAsLong())));
        }
        Optional<User> remembered = credentials.users().remembered(basic.username(), basic.password());
        if (remembered.isPresent()) {
          credentials.limiter().refund(client);
          return inner.apply(remembered.get());
        }
        if (!credentials.startDerivation()) {
          credentials.limiter().refund(client); // not checked: not a failure
          credentials.refused(Refusal.LOGINS_BUSY);
          return complete(problems.of(StatusCodes.SERVICE_UNAVAILABLE, "too many logins",
              credentials.maxConcurrentLogins() + " password checks are running (molt.http.max-concurrent-logins); try again in 1 s")
              .addHeader(RetryAfter.create(1L)));
        }
        return onSuccess(CompletableFuture.supplyAsync(() -> {
          try {
            return credentials.users().authenticate(basic.username(), basic.password());
          } finally {
            credentials.derivationDone();
          }
        }, derivations), user -> {
          if (user.isEmpty()) {
            credentials.refused(Refusal.UNAUTHORIZED);
            return complete(unauthorized("wrong user or password"));
          }
          credentials.limiter().refund(client);
          return inner.apply(user.get());
        });
      });
    });
  }

  private HttpResponse unauthorized(String detail) {
    return problems.of(StatusCodes.UNAUTHORIZED, "unauthorized", detail)
        .addHeader(WWWAuthenticate.create(HttpChallenge.createBasic("molt")));
  }

  private HttpResponse forbidden(User user, String doing, Role needs) {
    credentials.refused(Refusal.FORBIDDEN);
    return problems.of(StatusCodes.FORBIDDEN, "forbidden", "user '" + user.name() + "' has role " + user.role() + "; "
        + doing + " needs " + needs);
  }

  private HttpResponse audited(HttpRequest request, User user, Operation operation, String target, HttpResponse response) {
    String name = user != null ? user.name() : request.getHeader(Authorization.class)
        .map(a -> a.credentials() instanceof BasicHttpCredentials b ? b.username() : null).orElse(null);
    Audit.record(name, user == null ? "-" : user.role().wireName(), operation.wireName(), target, response.status().intValue());
    return response;
  }
}
