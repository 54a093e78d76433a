package dev.molt.node.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.stream.Materializer;
import dev.molt.node.app.ApplicationHttp;
import dev.molt.protocol.release.ReleaseId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The application port as a test sees it: requests handed to {@link ApplicationHttp#handle}, no socket. */
public final class AppPort {
  private final ActorSystem<?> system;
  public final ApplicationHttp app;

  private AppPort(ActorSystem<?> system) {
    this.system = system;
    this.app = ApplicationHttp.get(system);
  }

  /** The system's application port, following its current release from now on. */
  public static AppPort started(ActorSystem<?> system) {
    AppPort port = new AppPort(system);
    port.app.start();
    return port;
  }

  public CompletionStage<HttpResponse> send(String path) {
    return app.handle(HttpRequest.GET(path));
  }

  public HttpResponse answer(String path) throws Exception {
    return await(send(path));
  }

  public static HttpResponse await(CompletionStage<HttpResponse> response) throws Exception {
    return response.toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  /** The body of a 200 response. */
  public String body(HttpResponse response) throws Exception {
    assertEquals(StatusCodes.OK, response.status(), response.toString());
    return response.entity().toStrict(15_000, Materializer.createMaterializer(system))
        .toCompletableFuture().get(15, TimeUnit.SECONDS).getData().utf8String();
  }

  /** Waits until the port serves {@code release}'s routes (they are swapped in off the install's path). */
  public void awaitServing(ReleaseId release) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!app.serving().equals(Optional.of(release))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the application port never served " + release + " (serving " + app.serving() + ")");
      }
      Thread.sleep(20);
    }
  }
}
