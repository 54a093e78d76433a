package dev.molt.orchestrator.http;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.server.directives.RouteAdapter;
import akka.http.scaladsl.server.RequestContext;
import akka.http.scaladsl.server.RouteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.runtime.AbstractFunction1;

/**
 * The last line behind the bounds: a {@link StackOverflowError} or {@link LinkageError} thrown while
 * a route handles a request becomes a 500 for that request. Akka HTTP's exception handlers see only
 * non-fatal exceptions; these two would otherwise reach jvm-exit-on-fatal-error and end the node
 * for one request. (Work in futures needs no guard: CompletableFuture and Scala's Promise box
 * every Throwable.) An OutOfMemoryError is not caught: the body limits are what prevent it.
 */
final class FatalGuard {
  private static final Logger log = LoggerFactory.getLogger(FatalGuard.class);

  private FatalGuard() {}

  static Route guard(Route inner, HttpResponse onFatal) {
    var route = inner.asScala();
    return RouteAdapter.apply(new AbstractFunction1<RequestContext, Future<RouteResult>>() {
      @Override
      public Future<RouteResult> apply(RequestContext context) {
        try {
          return route.apply(context);
        } catch (StackOverflowError | LinkageError e) {
          log.error("request {} {} failed with {}; answered 500, the node serves on", context.request().method().value(),
              context.request().uri().path(), e.toString());
          return Future.successful(new RouteResult.Complete((akka.http.scaladsl.model.HttpResponse) onFatal));
        }
      }
    });
  }
}
