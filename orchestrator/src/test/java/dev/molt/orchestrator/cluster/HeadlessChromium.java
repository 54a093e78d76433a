package dev.molt.orchestrator.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven by its chromedriver, headless, with a fresh profile. The driver's path
 * is given to Selenium, so Selenium Manager (which would download a driver) is never run. Absent
 * binaries fail the test with how to install them: CI installs them ({@code .ci/run}).
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("molt.test.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("molt.test.chromedriver", "/usr/bin/chromedriver"));

  final ChromeDriver driver;

  HeadlessChromium(Path profile) {
    this(profile, CHROMIUM, CHROMEDRIVER);
  }

  HeadlessChromium(Path profile, Path chromium, Path chromedriver) {
    for (Path binary : new Path[] {chromium, chromedriver}) {
      if (!Files.isExecutable(binary)) {
        throw new AssertionError(binary + " is missing: this test needs a real chromium; install it with "
            + "'apt-get install -y chromium chromium-driver' (.ci/run does when it is absent), "
            + "or point -Dmolt.test.chromium / -Dmolt.test.chromedriver at one");
      }
    }
    System.setProperty("webdriver.chrome.driver", chromedriver.toString());
    ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile()).addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    this.driver = new ChromeDriver(service, options);
  }

  /**
   * Waits for {@code condition} to hold (a truthy, non-null answer); the bound is a safety net only.
   * Giving up names what was awaited and shows the page's text as it was.
   */
  <T> T await(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, LocalCluster.WAIT).pollingEvery(Duration.ofMillis(200))
          .ignoring(StaleElementReferenceException.class).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError("gave up waiting for " + what + "; the page said:\n"
          + driver.findElement(By.tagName("body")).getText(), e);
    }
  }

  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
