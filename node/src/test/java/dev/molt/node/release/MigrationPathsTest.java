package dev.molt.node.release;

import static dev.molt.node.testing.MoltTestKit.V1;
import static dev.molt.node.testing.MoltTestKit.V2;
import static dev.molt.node.testing.MoltTestKit.V3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.node.testing.MoltTestKit;
import dev.molt.protocol.release.ReleaseId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry remembers migration paths, and forgets them when the loaded releases change. */
class MigrationPathsTest {
  private MoltTestKit molt;

  @BeforeEach
  void start() {
    molt = MoltTestKit.create();
    molt.installCounter("1.0.0", "2.0.0", "3.0.0");
  }

  @AfterEach
  void stop() {
    molt.close();
  }

  @Test
  void aPathThroughAPurgedReleaseIsNotReused() throws Exception {
    LoadedBehaviour v1 = counter(V1);
    LoadedBehaviour v3 = counter(V3);
    List<MigrationPath.Hop> viaTwo = molt.registry().migrationPath(v1, v3);
    assertEquals(List.of(2, 3), viaTwo.stream().map(h -> h.newer().version()).toList(), "1 -> 2 -> 3");
    assertSame(viaTwo, molt.registry().migrationPath(v1, v3), "the second actor reuses the first one's path");

    molt.registry().purge(V2);

    MigrationPath.NoPathException noPath = assertThrows(MigrationPath.NoPathException.class,
        () -> molt.registry().migrationPath(v1, v3));
    assertTrue(noPath.getMessage().contains("with the loaded versions [1, 3]"), noPath.getMessage());
  }

  @Test
  void aReleaseLoadedLaterOpensAPath() throws Exception {
    molt.registry().purge(V2);
    assertThrows(MigrationPath.NoPathException.class, () -> molt.registry().migrationPath(counter(V1), counter(V3)));

    molt.registry().load(V2);

    assertEquals(2, molt.registry().migrationPath(counter(V1), counter(V3)).size());
  }

  private LoadedBehaviour counter(ReleaseId release) {
    return molt.registry().find(release).orElseThrow().behaviour("counter").orElseThrow();
  }
}
