package dev.molt.orchestrator.http;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.testkit.TestRoute;
import akka.http.javadsl.testkit.TestRouteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.molt.node.cluster.LocalNode;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code /molt} routes over a stand-in singleton ({@link StandInOrchestrator}) and node agent
 * ({@link StandInAgent}) in one {@link ActorTestKit} (auth off, cluster provider, no node JVM),
 * driven through Akka HTTP's route test kit; what the stand-ins accepted is on {@link #received},
 * emptied before each test. A test class registers it once ({@code @RegisterExtension}).
 */
final class StandInRoutes implements BeforeEachCallback, AfterAllCallback {
  private static final ObjectMapper json = new ObjectMapper();

  final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  final MoltRoutes routes;
  private final ActorTestKit kit;
  private final TestRoute route;

  StandInRoutes(String name) {
    kit = ActorTestKit.create(name, ConfigFactory.parseString("""
        akka.actor.provider = cluster
        akka.remote.artery.canonical.hostname = 127.0.0.1
        akka.remote.artery.canonical.port = 0
        molt.http.auth = off
        """).withFallback(ConfigFactory.load()));
    LocalNode.get(kit.system()).started(kit.spawn(StandInAgent.create(received), "agent"), null);
    routes = new MoltRoutes(kit.system(), kit.spawn(StandInOrchestrator.create(received), "orchestrator"));
    route = new RouteTestKit(kit).testRoute(routes.routes());
  }

  /** An answer: its status, its text and that text as JSON. */
  record Reply(int status, String text, JsonNode body) {
    String detail() {
      return body.path("detail").asText();
    }
  }

  Reply post(String path, String body) throws Exception {
    return post(path, HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  Reply post(String path, RequestEntity entity) throws Exception {
    TestRouteResult result = route.run(HttpRequest.POST(path).withEntity(entity));
    String text = result.entityString();
    return new Reply(result.statusCode(), text, json.readTree(text));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    received.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kit.shutdownTestKit();
  }
}
