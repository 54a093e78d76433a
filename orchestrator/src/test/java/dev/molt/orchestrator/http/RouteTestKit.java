package dev.molt.orchestrator.http;

import akka.actor.ActorSystem;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Adapter;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.RouteResult;
import akka.http.javadsl.testkit.RouteTest;
import akka.http.javadsl.testkit.TestRouteResult;
import akka.stream.Materializer;
import org.junit.jupiter.api.Assertions;
import scala.concurrent.Future;

/**
 * Akka HTTP's route test kit driven from JUnit 5: its Java {@link RouteTest} only needs the actor
 * system and a way to fail, which its JUnit 4 base ({@code JUnitRouteTest}) would bring with JUnit 4
 * itself. Routes run in this JVM without a bound server, so Akka HTTP's server limits (request size,
 * parsing) are not in play here: those stay in {@link EdgeRoutesTest}.
 */
final class RouteTestKit extends RouteTest {
  private final ActorTestKit kit;

  RouteTestKit(ActorTestKit kit) {
    this.kit = kit;
  }

  @Override
  public ActorSystem system() {
    return Adapter.toClassic(kit.system());
  }

  @Override
  public Materializer materializer() {
    return Materializer.matFromSystem(kit.system());
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system().dispatcher(), materializer()) {
      @Override
      public void fail(String message) {
        Assertions.fail(message);
      }

      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        Assertions.assertTrue(predicate, message);
      }
    };
  }
}
