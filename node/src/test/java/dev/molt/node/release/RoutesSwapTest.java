package dev.molt.node.release;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import dev.molt.node.testing.AppPort;
import dev.molt.node.testing.MoltTestKit;
import dev.molt.node.testing.RawBundles;
import dev.molt.protocol.release.ReleaseId;
import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application port's routes follow the current release: a release without routes answers
 * 503, one with routes is served once it becomes current, the next one replaces it, and after a
 * purge nothing of the replaced routes keeps the old release's class loader reachable.
 */
class RoutesSwapTest {
  @TempDir Path dir;
  private final MoltTestKit molt = MoltTestKit.create();

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void routesSwapWithTheCurrentReleaseAndTheOldLoaderIsCollectedAfterPurge() throws Exception {
    AppPort app = AppPort.started(molt.kit.system());
    HttpResponse before = app.answer("/release");
    assertEquals(StatusCodes.SERVICE_UNAVAILABLE, before.status(), "no release yet");

    molt.registry().unpack(withRoutes("1.0.0"));
    molt.registry().makeCurrent(V1);
    app.awaitServing(V1);
    assertEquals("{\"release\":\"1.0.0\"}", app.body(app.answer("/release")));

    molt.registry().unpack(withRoutes("2.0.0"));
    WeakReference<ClassLoader> v1 = weakLoaderOf(V1);
    molt.registry().makeCurrent(V2);
    app.awaitServing(V2);
    assertEquals("{\"release\":\"2.0.0\"}", app.body(app.answer("/release")));
    molt.registry().purge(V1);

    PurgeTest.assertCollected(v1, "the replaced routes still reach v1's class loader after its purge");
    assertEquals("{\"release\":\"2.0.0\"}", app.body(app.answer("/release")), "v2's routes still served");
  }

  /** The counter bundle plus a jar declaring its {@code CounterRoutes} as the ApplicationRoutes service. */
  private Path withRoutes(String version) throws Exception {
    ByteArrayOutputStream jar = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(jar)) {
      out.putNextEntry(new JarEntry("META-INF/services/dev.molt.node.spi.ApplicationRoutes"));
      out.write("dev.molt.testbundle.counter.CounterRoutes\n".getBytes(StandardCharsets.UTF_8));
    }
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(RawBundles.counterEntries(version));
    entries.add(Map.entry("lib/routes-service.jar", jar.toByteArray()));
    return RawBundles.zip(Files.createDirectories(dir.resolve(version)).resolve("counter-" + version + ".molt"), entries);
  }

  // Kept out of the test method so that no local variable holds the release.
  private WeakReference<ClassLoader> weakLoaderOf(ReleaseId id) {
    return new WeakReference<>(molt.registry().find(id).orElseThrow().loader());
  }
}
