package dev.molt.testbundle.counter;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import dev.molt.node.spi.ApplicationContext;
import dev.molt.node.spi.ApplicationRoutes;
import java.util.Map;

/**
 * Application routes of counter 2.0.0, served only when a test adds the service file naming this
 * class (dev.molt.node.app.RoutesSwapTest): {@code GET /release} answers which release served it.
 */
public final class CounterRoutes implements ApplicationRoutes {
  @Override
  public Route routes(ApplicationContext ctx) {
    return Directives.path("release", () -> Directives.get(() -> ctx.complete(StatusCodes.OK, Map.of("release", "2.0.0"))));
  }
}
