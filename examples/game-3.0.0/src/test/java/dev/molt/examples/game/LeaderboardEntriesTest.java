package dev.molt.examples.game;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.molt.examples.game.Leaderboard.Points;
import dev.molt.examples.game.Leaderboard.Standing;
import dev.molt.examples.game.Leaderboard.Standings;
import dev.molt.examples.game.Leaderboard.State;
import dev.molt.examples.game.Leaderboard.Top;
import dev.molt.node.spi.BehaviourContext;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** The leaderboard's own rules, without a node: idempotent updates, the top ten's order, the bound. */
class LeaderboardEntriesTest {
  private final Leaderboard board = new Leaderboard();
  private final List<Object> replies = new ArrayList<>();
  /** The calls the leaderboard makes: log, version, reply; anything else is a mistake here. */
  @SuppressWarnings("unchecked")
  private final BehaviourContext<Leaderboard.Msg> ctx = (BehaviourContext<Leaderboard.Msg>) Proxy.newProxyInstance(
      getClass().getClassLoader(), new Class<?>[] {BehaviourContext.class}, (proxy, method, args) -> switch (method.getName()) {
        case "log" -> NOPLogger.NOP_LOGGER;
        case "version" -> 1;
        case "reply" -> {
          replies.add(args[args.length - 1]);
          yield null;
        }
        default -> throw new UnsupportedOperationException(method.getName());
      });
  private State state = board.initialState(null, null);

  @Test
  void anUpdateCountsOnceAndAnOlderOneChangesNothing() throws Exception {
    send(new Points("r1", "ann", 2, 10));
    send(new Points("r1", "ann", 1, 4));
    send(new Points("r1", "ann", 2, 10));
    send(new Points("r1", "ann", 3, 12));
    Standings read = top();
    assertEquals(List.of(new Standing("r1", "ann", 12)), read.top());
    assertEquals(2, read.updates());
    assertEquals(2, read.stale());
    assertEquals(12, read.points());
  }

  @Test
  void theTopTenBestFirstTiesByRoomThenPlayer() throws Exception {
    for (int i = 0; i < 12; i++) {
      send(new Points("r" + (i % 3), "p" + i, 1, i < 6 ? 50 : i));
    }
    Standings read = top();
    assertEquals(10, read.top().size());
    assertEquals(12, read.entries());
    assertEquals(List.of("r0/p0", "r0/p3", "r1/p1", "r1/p4", "r2/p2", "r2/p5", "r2/p11", "r1/p10", "r0/p9", "r2/p8"),
        read.top().stream().map(s -> s.room() + "/" + s.player()).toList());
  }

  @Test
  void beyondTheBoundALowNewcomerIsNotKeptAHighOneTakesTheLowestsPlaceBothCounted() throws Exception {
    long points = 0;
    for (int i = 1; i <= Leaderboard.MAX_ENTRIES; i++) {
      send(new Points("r", "p" + i, 1, i));
      points += i;
    }
    send(new Points("r", "low", 1, 1));
    Standings full = top();
    assertEquals(Leaderboard.MAX_ENTRIES, full.entries());
    assertEquals(points, full.points(), "the newcomer no higher than the lowest is not kept");
    assertEquals(1, full.evicted());

    send(new Points("r", "high", 1, 5_000));
    send(new Points("r", "p2", 2, 3));
    Standings after = top();
    assertEquals(Leaderboard.MAX_ENTRIES, after.entries());
    assertEquals(2, after.evicted());
    assertEquals(points - 1 + 5_000 + 1, after.points(), "p1 (1 point) gave way to 'high'; p2 went from 2 to 3");
    assertEquals(new Standing("r", "high", 5_000), after.top().get(0));
    assertEquals(Leaderboard.MAX_ENTRIES + 2L, after.updates(), "each entry kept, and p2's update");
  }

  private void send(Leaderboard.Msg message) throws Exception {
    state = board.onMessage(ctx, state, message);
  }

  private Standings top() throws Exception {
    send(new Top(null));
    return (Standings) replies.get(replies.size() - 1);
  }
}
