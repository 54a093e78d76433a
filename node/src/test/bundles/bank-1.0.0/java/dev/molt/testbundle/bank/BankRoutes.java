package dev.molt.testbundle.bank;

import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.ApplicationContext;
import dev.molt.node.spi.ApplicationRoutes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The bank's application routes of release 1.0.0: {@code GET /accounts/{id}} asks the account entity
 * and answers {@code {"routes": "1.0.0", "account": view}}; {@code GET /accounts/{id}/after/{gate}}
 * does the same once the future a test put in the system properties under {@code gate} completes,
 * so a test holds a request open on these routes (dev.molt.node.app.RoutesInFlightTest).
 */
public final class BankRoutes implements ApplicationRoutes {
  private static final String RELEASE = "1.0.0";

  @Override
  public Route routes(ApplicationContext ctx) {
    return Directives.pathPrefix("accounts", () -> Directives.pathPrefix(PathMatchers.segment(), id -> Directives.concat(
        Directives.pathEnd(() -> Directives.get(() -> ctx.completeAsync(view(ctx, id)))),
        Directives.path(PathMatchers.segment("after").slash(PathMatchers.segment()), gate -> Directives.get(() ->
            ctx.completeAsync(gate(gate).thenCompose(opened -> view(ctx, id))))))));
  }

  private static CompletionStage<Map<String, Object>> view(ApplicationContext ctx, String id) {
    return ctx.ask("account", id, Account.Get::new, JsonNode.class).thenApply(account -> Map.of("routes", RELEASE, "account", account));
  }

  private static CompletionStage<?> gate(String name) {
    Object gate = System.getProperties().get(name);
    return gate instanceof CompletableFuture<?> future ? future
        : CompletableFuture.failedFuture(new IllegalArgumentException("no gate '" + name + "'"));
  }
}
