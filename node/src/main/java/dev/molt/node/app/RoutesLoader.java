package dev.molt.node.app;

import dev.molt.node.release.LoadedRelease;
import dev.molt.node.spi.ApplicationRoutes;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds a release's {@link ApplicationRoutes}: the service its own jars declare
 * ({@code META-INF/services}), not one visible through the node's class path.
 */
final class RoutesLoader {
  private RoutesLoader() {}

  /** The release's routes provider, empty when it declares none; fails naming the problem when it declares several or a broken one. */
  static Optional<ApplicationRoutes> find(LoadedRelease release) {
    ClassLoader loader = release.loaderReference().get();
    if (loader == null) {
      return Optional.empty();
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // Release code runs here (constructor, static initialiser): with its own loader as context.
    thread.setContextClassLoader(loader);
    try {
      List<ServiceLoader.Provider<ApplicationRoutes>> own = ServiceLoader.load(ApplicationRoutes.class, loader).stream()
          .filter(p -> p.type().getClassLoader() == loader)
          .toList();
      if (own.size() > 1) {
        throw new IllegalStateException("release " + release.id() + " declares " + own.size() + " ApplicationRoutes ("
            + own.stream().map(p -> p.type().getName()).toList() + "); one is served");
      }
      return own.stream().findFirst().map(ServiceLoader.Provider::get);
    } catch (java.util.ServiceConfigurationError | LinkageError e) {
      throw new IllegalStateException("the ApplicationRoutes of release " + release.id() + " cannot be loaded: " + e.getMessage(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
