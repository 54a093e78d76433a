package dev.molt.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.molt.protocol.relup.NoUpgradePathException;
import dev.molt.protocol.relup.RelupCompiler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entity types in a descriptor: validated field by field, and what may change between releases. */
class EntitySpecTest {
  private static final String ROOM = "{\"name\": \"room\", \"version\": %d, \"entryClass\": \"com.example.Room\"}";

  @Test
  void readsEntityTypesBesideATreeAndWritesThemBack() throws Exception {
    ReleaseDescriptor d = game("2.0.0", 2, """
        [{"type": "room", "behaviour": "room", "passivateAfterSeconds": 120, "shards": 30}]""");
    assertEquals(List.of(new EntitySpec("room", "room", 120, 30)), d.entities());
    assertEquals(d, ReleaseDescriptors.parse(ReleaseDescriptors.write(d)));
    assertTrue(d.supervision() != null, "a tree beside the entities");
  }

  @Test
  void everyBadFieldIsNamed() {
    InvalidDescriptorException e = assertThrows(InvalidDescriptorException.class, () -> game("1.0.0", 1, """
        [{"type": "Room!", "behaviour": "room", "passivateAfterSeconds": 0, "shards": 10},
         {"type": "lobby", "behaviour": "nobody", "passivateAfterSeconds": -1, "shards": 0},
         {"type": "lobby", "behaviour": "room", "passivateAfterSeconds": 86401, "shards": 10001},
         {"type": "rooms", "behaviour": "room", "passivateAfterSeconds": 1, "shards": 1},
         {"type": "hall", "behaviour": "room"},
         null]"""));
    assertEquals(List.of(
        "entities[0].type 'Room!' must match [a-z][a-z0-9-]{0,39}",
        "entities[1].behaviour 'nobody' is not a behaviour of the release",
        "entities[1].passivateAfterSeconds must be 0 (never) to 86400, was -1",
        "entities[1].shards must be 1 to 10000, was 0",
        "entities[2].type 'lobby' is listed twice",
        "entities[2].passivateAfterSeconds must be 0 (never) to 86400, was 86401",
        "entities[2].shards must be 1 to 10000, was 10001",
        "entities[3].type 'rooms' is also the name of a supervisor; use another name",
        "entities[4].shards is required: the number of shards, 1 to 10000 (fixed for the life of the cluster; about "
            + "ten per node of the largest cluster planned)",
        "entities[5] is null"), e.problems());
    InvalidDescriptorException typo = assertThrows(InvalidDescriptorException.class, () -> game("1.0.0", 1, """
        [{"type": "room", "behaviour": "room", "passivateAfterSeconds": 5, "shard": 10}]"""));
    assertTrue(typo.getMessage().contains("Unrecognized field \"shard\""), typo.getMessage());
  }

  @Test
  void aTypeKeepsItsBehaviourAndShardsButMayComeAndGo() throws Exception {
    ReleaseDescriptor v1 = game("1.0.0", 1, "[{\"type\": \"room\", \"behaviour\": \"room\", \"passivateAfterSeconds\": 0, \"shards\": 30}]");
    ReleaseDescriptor added = game("1.1.0", 1, """
        [{"type": "room", "behaviour": "room", "passivateAfterSeconds": 60, "shards": 30},
         {"type": "board", "behaviour": "room", "passivateAfterSeconds": 0, "shards": 1}]""");
    assertEquals(1, RelupCompiler.compile(v1, added, List.of(v1, added)).hops().size(), "a type added, idling changed");
    assertEquals(1, RelupCompiler.compile(added, v1, List.of(v1, added)).hops().size(), "and dropped going back");

    ReleaseDescriptor reshaped = game("2.0.0", 1, "[{\"type\": \"room\", \"behaviour\": \"room\", \"passivateAfterSeconds\": 0, \"shards\": 40}]");
    NoUpgradePathException up = assertThrows(NoUpgradePathException.class,
        () -> RelupCompiler.compile(v1, reshaped, List.of(v1, reshaped)));
    assertEquals("cannot go from game-1.0.0 to game-2.0.0: entity type 'room' has 30 shards in game-1.0.0 and 40 in "
        + "game-2.0.0: the number of shards is fixed for the life of the cluster (another number maps an id to another "
        + "shard, so one id could run as two entities)", up.getMessage());
    assertThrows(NoUpgradePathException.class, () -> RelupCompiler.compile(reshaped, v1, List.of(v1, reshaped)),
        "nor going back");
    assertTrue(EntityChanges.refusals(v1, game("2.0.0", 1, "[{\"type\": \"room\", \"behaviour\": \"lobby\", "
        + "\"passivateAfterSeconds\": 0, \"shards\": 30}]")).get(0).contains("a type keeps its behaviour"));
  }

  /** The game with a room behaviour (and a lobby one), a {@code rooms} supervisor and {@code entities}. */
  private static ReleaseDescriptor game(String version, int roomVersion, String entities) throws InvalidDescriptorException {
    String json = "{\"name\": \"game\", \"version\": \"" + version + "\", \"behaviours\": [" + ROOM.formatted(roomVersion)
        + ", {\"name\": \"lobby\", \"version\": 1, \"entryClass\": \"com.example.Lobby\"}],"
        + " \"supervision\": {\"name\": \"rooms\", \"strategy\": \"one-for-one\", \"intensity\": 1, \"periodSeconds\": 5,"
        + " \"dynamic\": {\"behaviour\": \"room\", \"restart\": \"transient\"}},"
        + " \"entities\": " + entities + "}";
    return ReleaseDescriptors.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
