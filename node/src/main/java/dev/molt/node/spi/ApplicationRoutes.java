package dev.molt.node.spi;

import akka.http.javadsl.server.Route;

/**
 * A release's own HTTP API (Akka HTTP Java DSL), served by Molt on the application port
 * ({@code molt.app.http.port}), apart from the management port. Declared as a service of the
 * bundle: a file {@code META-INF/services/dev.molt.node.spi.ApplicationRoutes} in the release's
 * jar naming the implementation (a public class with a no-argument constructor).
 *
 * <p>The routes are versioned with the release: Molt builds them once when the release becomes
 * current on a node and swaps them in atomically; requests already in flight complete on the
 * routes they started on. Keep nothing of the context or the routes in static fields: the
 * release's class loader must become unreachable once a newer release replaced it.
 */
public interface ApplicationRoutes {

  /** This release's routes; called once per release becoming current, on a thread of Molt's. */
  Route routes(ApplicationContext context);
}
