package dev.molt.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard ({@code /molt/ui}) in a real headless chromium against three real node JVMs: it
 * shows the three nodes and the releases; a wrong password shows the 401's text and starts nothing;
 * a refused target shows the 400's text; a canary rollout started from the page pauses after its
 * first node, is promoted from the page and walks to completed, the page following the event
 * stream, with every node on the new release; the page says "reconnecting" while the node it follows
 * is down and "live" once it is back. Screenshots: {@code target/dashboard-paused.png},
 * {@code target/dashboard.png}.
 */
class DashboardBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target");

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path work;

  @Test
  void aRolloutStartedFromThePageWalksToCompleted() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(work, 3, node -> List.of())) {
      cluster.onV1WithACounterPerNode();
      List<String> names = cluster.namesInBatchOrder();
      try (HeadlessChromium chromium = new HeadlessChromium(Files.createDirectories(work.resolve("chromium-profile")))) {
        var page = chromium.driver;
        page.get("http://127.0.0.1:" + cluster.node(1).httpPort + "/molt/ui");
        assertTrue(page.getCurrentUrl().endsWith("/molt/ui/"), "redirected to the directory: " + page.getCurrentUrl());
        chromium.await("the event stream live", p -> text(p, "stream").equals("live"));
        chromium.await("3 nodes on counter-1.0.0", p -> running(p).equals(everyNodeOn(names, "counter-1.0.0")));
        chromium.await("both releases listed", p -> p.findElements(By.cssSelector("#releases tr[data-release]")).size() == 2);
        assertEquals("permanent", p(page, "#releases tr[data-release='counter-1.0.0'] .badge").getText());

        signIn(page, "wrong-password");
        start(page, "2.0.0", false);
        chromium.await("the 401 shown", p -> text(p, "message").equals("start of 2.0.0 refused: 401 unauthorized: wrong user or password"));
        assertEquals(1, cluster.get(0, "/molt/rollouts").path("rollouts").size(), "a refused start started nothing");
        page.findElement(By.id("sign-out")).click();

        signIn(page, LocalCluster.PASSWORD);
        start(page, "9.9.9", false);
        chromium.await("the 400 shown", p -> text(p, "message").startsWith("start of 9.9.9 refused: 400 unknown target: "));
        System.out.println("[dashboard] " + text(page, "message"));
        assertEquals(1, cluster.get(0, "/molt/rollouts").path("rollouts").size(), "a refused start started nothing");

        start(page, "2.0.0", true);
        String started = chromium.await("the start accepted", p -> {
          String m = text(p, "message");
          return m.matches("rollout \\S+ started") ? m : null;
        });
        String id = started.split(" ")[1];
        chromium.await("the canary paused", p -> phase(p).equals("paused") && done(p).equals("1/3"));
        chromium.screenshot(SCREENSHOTS.resolve("dashboard-paused.png"));
        assertEquals("paused", cluster.get(0, "/molt/rollouts/" + id).path("phase").asText(), "the page shows the API's phase");

        page.findElement(By.cssSelector("#controls button[data-action='promote']")).click();
        chromium.await("completed, as the event stream said", p -> phase(p).equals("completed")
            && "finished".equals(p.findElement(By.id("last-event")).getDomAttribute("data-type")));
        chromium.await("3/3 nodes done", p -> done(p).equals("3/3"));
        chromium.await("every node on counter-2.0.0", p -> running(p).equals(everyNodeOn(names, "counter-2.0.0")));
        assertEquals(2, page.findElements(By.cssSelector("#history tbody tr")).size(), "the history lists both rollouts");
        chromium.screenshot(SCREENSHOTS.resolve("dashboard.png"));

        JsonNode rollout = cluster.get(0, "/molt/rollouts/" + id);
        assertEquals("completed", rollout.path("phase").asText(), rollout.toString());
        assertTrue(rollout.path("spec").path("canary").asBoolean(), "started from the page as a canary: " + rollout);
        for (JsonNode member : cluster.get(0, "/molt/cluster").path("members")) {
          assertEquals("counter-2.0.0", member.path("running").asText(), member.toString());
          assertEquals("counter-2.0.0", member.path("permanent").asText(), member.toString());
        }
        for (int n = 0; n < 3; n++) {
          JsonNode state = cluster.counter(n, "k" + n);
          assertEquals(2, state.path("version").asInt(), "node " + n + " runs v2: " + state);
          assertEquals(1, state.path("total").asLong(), "node " + n + "'s counter kept its count: " + state);
        }

        // The node the page follows goes away: the page says so, and follows it again once it is back.
        cluster.node(1).kill();
        chromium.await("the stream reconnecting", p -> text(p, "stream").equals("reconnecting"));
        cluster.node(1).start(cluster.node(0).remotePort, List.of());
        chromium.await("the stream live again", p -> text(p, "stream").equals("live"));
      }
    }
  }

  private static void signIn(WebDriver page, String password) {
    WebElement user = page.findElement(By.id("user"));
    user.clear();
    user.sendKeys("admin");
    page.findElement(By.id("password")).sendKeys(password);
    page.findElement(By.cssSelector("#sign-in button")).click();
  }

  private static void start(WebDriver page, String version, boolean canary) {
    WebElement target = page.findElement(By.id("start-target"));
    target.clear();
    target.sendKeys(version);
    WebElement box = page.findElement(By.id("start-canary"));
    if (box.isSelected() != canary) {
      box.click();
    }
    page.findElement(By.id("start-submit")).click();
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText();
  }

  private static WebElement p(WebDriver page, String css) {
    return page.findElement(By.cssSelector(css));
  }

  private static String phase(WebDriver page) {
    return String.valueOf(page.findElement(By.id("rollout-phase")).getDomAttribute("data-phase"));
  }

  private static String done(WebDriver page) {
    WebElement bar = page.findElement(By.id("progress"));
    return bar.getDomAttribute("data-done") + "/" + bar.getDomAttribute("data-total");
  }

  /** Each node's running release as the nodes table shows it. */
  private static Map<String, String> running(WebDriver page) {
    Map<String, String> shown = new TreeMap<>();
    for (WebElement row : page.findElements(By.cssSelector("#nodes tbody tr[data-node]"))) {
      shown.put(row.getDomAttribute("data-node"), row.findElement(By.cssSelector(".running")).getText());
    }
    return shown;
  }

  private static Map<String, String> everyNodeOn(List<String> names, String release) {
    Map<String, String> all = new TreeMap<>();
    names.forEach(n -> all.put(n, release));
    return all;
  }
}
