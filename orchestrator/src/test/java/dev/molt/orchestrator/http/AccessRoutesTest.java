package dev.molt.orchestrator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.RemoteAddress;
import akka.http.javadsl.model.headers.Authorization;
import akka.http.javadsl.model.headers.BasicHttpCredentials;
import akka.http.javadsl.testkit.TestRoute;
import akka.http.javadsl.testkit.TestRouteResult;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.molt.orchestrator.auth.Audit;
import dev.molt.orchestrator.auth.Credentials;
import dev.molt.orchestrator.auth.PasswordHash;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Roles, 401 vs 403 vs 429, the audit trail and open reads, through Akka HTTP's route test kit
 * against the stand-in orchestrator: users vera (viewer), otto (operator) and ada (admin) in {@code
 * molt.http.users}; a node with {@code open-reads = on} and one with it off.
 */
class AccessRoutesTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private static final ListAppender<ILoggingEvent> audit = new ListAppender<>();
  private static ActorTestKit open;
  private static ActorTestKit closed;
  private static TestRoute route;
  private static TestRoute closedRoute;

  @BeforeAll
  static void start() {
    String users = "molt.http.users = [" + user("vera", "viewer", "vera-pw") + "," + user("otto", "operator", "otto-pw") + ","
        + user("ada", "admin", "ada-pw") + "]\nmolt.http.login-failures { burst = 3, refill = 1h }\n"
        // Above the parallel attempts below, so that only the bucket limits them.
        + "molt.http.max-concurrent-logins = 32\n"
        // A cluster node (not joined): commands name the node that accepted them.
        + "akka.actor.provider = cluster\nakka.remote.artery.canonical.port = 0\nakka.remote.artery.canonical.hostname = 127.0.0.1\n";
    open = ActorTestKit.create("access-open", ConfigFactory.parseString(users).withFallback(ConfigFactory.load()));
    route = new RouteTestKit(open).testRoute(new MoltRoutes(open.system(),
        open.spawn(StandInOrchestrator.create(received), "orchestrator")).routes());
    closed = ActorTestKit.create("access-closed", ConfigFactory.parseString(users + "molt.http.open-reads = off")
        .withFallback(ConfigFactory.load()));
    closedRoute = new RouteTestKit(closed).testRoute(new MoltRoutes(closed.system(),
        closed.spawn(StandInOrchestrator.create(received), "orchestrator")).routes());
    audit.start();
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(audit);
  }

  private static String user(String name, String role, String password) {
    return "{ name = " + name + ", role = " + role + ", password-hash = \"" + PasswordHash.of(password, 1000).format() + "\" }";
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(audit);
    open.shutdownTestKit();
    closed.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    received.clear();
    StandInOrchestrator.CALLERS.clear();
    audit.list.clear();
  }

  @Test
  void aViewerCannotStartARolloutAndAnOperatorCannotUpload() throws Exception {
    Reply viewer = post(route, "/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "vera", "vera-pw", "10.0.0.1");
    assertProblem(viewer, 403, "forbidden", "user 'vera' has role viewer; starting a rollout needs operator");
    Reply operator = post(route, "/molt/releases", "not a bundle", "otto", "otto-pw", "10.0.0.1");
    assertProblem(operator, 403, "forbidden", "user 'otto' has role operator; uploading a release needs admin");
    Reply plan = post(route, "/molt/plan", "{\"target\":\"game-2.0.0\"}", "vera", "vera-pw", "10.0.0.1");
    assertProblem(plan, 403, "forbidden", "user 'vera' has role viewer; planning a rollout needs operator");
    assertTrue(received.isEmpty(), "nothing reached the orchestrator: " + received);

    assertEquals(202, post(route, "/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "otto", "otto-pw", "10.0.0.1").status());
    assertEquals(202, post(route, "/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "ada", "ada-pw", "10.0.0.1").status(),
        "admin may do what an operator may");
    assertEquals(List.of("otto@" + nodeName(), "ada@" + nodeName()), List.copyOf(StandInOrchestrator.CALLERS),
        "the start carries who asked, and through which node");
  }

  @Test
  void wrongOrMissingCredentialsAre401WithAChallenge() throws Exception {
    TestRouteResult wrong = route.run(request("/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "otto", "otto-pW", "10.0.0.2"));
    assertEquals(401, wrong.statusCode());
    String challenge = wrong.header(akka.http.javadsl.model.headers.WWWAuthenticate.class).value();
    assertTrue(challenge.startsWith("Basic realm=\"molt\""), challenge);
    assertProblem(reply(wrong), 401, "unauthorized", "wrong user or password");
    assertProblem(post(route, "/molt/rollouts", "{}", "nobody", "otto-pw", "10.0.0.2"), 401, "unauthorized", "wrong user or password");
    assertProblem(post(route, "/molt/rollouts", "{}", null, null, "10.0.0.2"), 401, "unauthorized",
        "this route needs HTTP basic credentials");
    assertTrue(received.isEmpty());
  }

  @Test
  void failuresFromOneAddressAreSlowedDownWith429AndCounted() throws Exception {
    double throttledBefore = refusals("throttled");
    for (int i = 0; i < 3; i++) {
      assertEquals(401, post(route, "/molt/rollouts", "{}", "otto", "guess-" + i, "10.0.0.3").status());
    }
    TestRouteResult limited = route.run(request("/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "otto", "otto-pw", "10.0.0.3"));
    assertEquals(429, limited.statusCode(), "the bucket is empty: even the right password waits");
    long retryAfter = Long.parseLong(limited.header(akka.http.javadsl.model.headers.RetryAfter.class).value());
    assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter + " s, within one refill (1h)");
    assertProblem(reply(limited), 429, "too many failed logins", "too many wrong credentials from 10.0.0.3");
    assertEquals(throttledBefore + 1, refusals("throttled"));
    assertTrue(received.isEmpty(), "the throttled request did nothing");
    assertEquals(202, post(route, "/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "otto", "otto-pw", "10.0.0.4").status(),
        "another address is not slowed down");
  }

  @Test
  void concurrentWrongAttemptsFromOneAddressDeriveAtMostTheBurst() throws Exception {
    int attempts = 24;
    ExecutorService clients = Executors.newFixedThreadPool(attempts);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        String guess = "parallel-guess-" + i;
        statuses.add(clients.submit(() -> {
          go.await();
          return post(route, "/molt/rollouts", "{}", "otto", guess, "10.0.0.20").status();
        }));
      }
      go.countDown();
      Map<Integer, Integer> byStatus = new TreeMap<>();
      for (Future<Integer> status : statuses) {
        byStatus.merge(status.get(60, TimeUnit.SECONDS), 1, Integer::sum);
      }
      assertEquals(Map.of(401, 3, 429, attempts - 3), byStatus, "only the bucket's burst (3) was derived");
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void passwordChecksOverTheGlobalCapAre503AndCostNoToken() throws Exception {
    Credentials credentials = Credentials.get(open.system());
    double busyBefore = refusals("logins-busy");
    int taken = 0;
    while (credentials.startDerivation()) {
      taken++;
    }
    try {
      assertEquals(credentials.maxConcurrentLogins(), taken);
      for (int i = 0; i < 4; i++) {
        TestRouteResult busy = route.run(request("/molt/rollouts", "{}", "otto", "busy-guess", "10.0.0.21"));
        assertEquals("1", busy.header(akka.http.javadsl.model.headers.RetryAfter.class).value());
        assertProblem(reply(busy), 503, "too many logins", taken + " password checks are running (molt.http.max-concurrent-logins)");
      }
      assertEquals(busyBefore + 4, refusals("logins-busy"));
    } finally {
      for (int i = 0; i < taken; i++) {
        credentials.derivationDone();
      }
    }
    assertEquals(401, post(route, "/molt/rollouts", "{}", "otto", "busy-guess", "10.0.0.21").status(),
        "the refused checks took no token: the address still has its burst of 3");
    assertTrue(received.isEmpty(), "nothing was done");
  }

  @Test
  void everyOperationLeavesOneAuditLineWhateverItsResult() throws Exception {
    post(route, "/molt/rollouts", "{\"target\":\"game-2.0.0\"}", "otto", "otto-pw", "10.0.0.5");
    post(route, "/molt/plan", "{\"target\":\"game-2.0.0\"}", "otto", "otto-pw", "10.0.0.5");
    post(route, "/molt/rollouts/r-9/pause", "", "otto", "otto-pw", "10.0.0.5");
    post(route, "/molt/releases", "x", "otto", "otto-pw", "10.0.0.5");
    post(route, "/molt/releases", "x", "mallory", "nope", "10.0.0.5");
    get(route, "/molt/cluster", null, null);
    assertEquals(List.of(
        "audit user=otto role=operator action=start target=game-2.0.0 result=202",
        "audit user=otto role=operator action=plan target=game-2.0.0 result=200",
        "audit user=otto role=operator action=control target=r-9/pause result=404",
        "audit user=otto role=operator action=upload target=releases result=403",
        "audit user=mallory role=- action=upload target=releases result=401"),
        audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList(), "reads are not audited");
  }

  @Test
  void readsAreOpenOnlyWithOpenReadsOn() throws Exception {
    Reply cluster = get(route, "/molt/cluster", null, null);
    assertEquals(200, cluster.status());
    assertEquals(StandInOrchestrator.NODE.node(), cluster.body().path("members").path(0).path("node").asText(), cluster.toString());
    assertTrue(cluster.body().path("credentials").isNull(), "no fingerprint to an open read: " + cluster);
    assertTrue(cluster.body().path("members").path(0).path("credentials").isNull(), "nor a node's: " + cluster);
    Reply signedIn = get(route, "/molt/cluster", "vera", "vera-pw");
    assertEquals("a1b2c3d4", signedIn.body().path("credentials").asText(), "the cluster's fingerprint prefix: " + signedIn);
    assertEquals("a1b2c3d4", signedIn.body().path("members").path(0).path("credentials").asText(), "each node's fingerprint prefix");
    assertProblem(get(route, "/molt/cluster", "vera", "wrong"), 401, "unauthorized", "wrong user or password");
    assertProblem(get(closedRoute, "/molt/cluster", null, null), 401, "unauthorized", "this route needs HTTP basic credentials");
    assertProblem(get(closedRoute, "/molt/releases", "vera", "wrong"), 401, "unauthorized", "wrong user or password");
    assertEquals(200, get(closedRoute, "/molt/cluster", "vera", "vera-pw").status());
    assertEquals(200, get(closedRoute, "/molt/releases", "vera", "vera-pw").status());
  }

  @Test
  void releasesShowEachNodesStatusInTheTextItHadAsAString() throws Exception {
    Reply releases = get(route, "/molt/releases", null, null);
    assertEquals(200, releases.status(), releases.toString());
    String node = StandInOrchestrator.NODE.node();
    assertEquals("[{\"name\":\"arcade\",\"version\":\"1.0.0\",\"sha256\":\"a\",\"nodes\":{\"" + node + "\":\"unpacked\"}},"
        + "{\"name\":\"game\",\"version\":\"1.0.0\",\"sha256\":\"b\",\"nodes\":{\"" + node + "\":\"permanent\"}},"
        + "{\"name\":\"game\",\"version\":\"2.0.0\",\"sha256\":\"c\",\"nodes\":{\"" + node + "\":\"unpacked\"}}]",
        releases.body().path("releases").toString());
  }

  // ---- helpers ----

  private record Reply(int status, String text, JsonNode body) {}

  private static String nodeName() {
    return dev.molt.node.cluster.NodeName.of(open.system());
  }

  private static double refusals(String reason) {
    return Credentials.get(open.system()).registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("molt_http_auth_refusals"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> reason.equals(d.getLabels().get("reason"))).mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  private static HttpRequest request(String path, String body, String user, String password, String address) {
    HttpRequest request = HttpRequest.POST(path).withEntity(ContentTypes.APPLICATION_JSON, body)
        .addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(new InetSocketAddress(address, 40000)));
    return user == null ? request : request.addHeader(Authorization.create(BasicHttpCredentials.createBasicHttpCredentials(user, password)));
  }

  private static Reply post(TestRoute on, String path, String body, String user, String password, String address) throws Exception {
    return reply(on.run(request(path, body, user, password, address)));
  }

  private static Reply get(TestRoute on, String path, String user, String password) throws Exception {
    HttpRequest request = HttpRequest.GET(path);
    if (user != null) {
      request = request.addHeader(Authorization.create(BasicHttpCredentials.createBasicHttpCredentials(user, password)));
    }
    return reply(on.run(request));
  }

  private static Reply reply(TestRouteResult result) throws Exception {
    String text = result.entityString();
    return new Reply(result.statusCode(), text, text.isEmpty() ? json.createObjectNode() : json.readTree(text));
  }

  private static void assertProblem(Reply reply, int status, String error, String detail) {
    assertEquals(status, reply.status(), reply.toString());
    assertEquals(error, reply.body().path("error").asText(), reply.toString());
    assertEquals(detail, reply.body().path("detail").asText().substring(0, Math.min(detail.length(),
        reply.body().path("detail").asText().length())), reply.toString());
    assertFalse(reply.text().contains("\tat "), "no stack trace");
  }
}
