package dev.molt.examples.game;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.MoltBehaviour;
import dev.molt.node.spi.Receive;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * New in 3.0.0: the game's one leaderboard, a sharded entity ({@value #TYPE}/{@value #ID}) that the
 * rooms of every node feed through Cluster Sharding, and that {@code GET /leaderboard} reads from
 * any node. One entity, not one per shard of players: a score is one small message, and the top ten
 * then needs no merge across entities.
 *
 * <p>An update carries the player's <em>total</em> in the room after the score {@code seq}, not the
 * points of that score: a repeated or reordered update changes nothing (counted as stale), and one
 * lost on the way ({@code tellEntity} is at most once, like Akka's) is made good by that player's
 * next score in the room. An entry holds the player's total in that room since it first scored on
 * 3.0.0, including what it scored before.
 */
public final class Leaderboard extends MoltBehaviour<Leaderboard.State, Leaderboard.Msg> {
  public static final String TYPE = "leaderboard";
  /** The one entity the rooms report to and the API reads. */
  public static final String ID = "global";
  /**
   * Entries kept, one per room and player: bounds the state (copied at each update). A new entry
   * beyond it takes the place of the lowest when it is higher, else is not kept; either way counted
   * as evicted. The ten best are always among those kept.
   */
  static final int MAX_ENTRIES = 1_000;
  static final int TOP = 10;

  /** A player's total in a room, as of their score {@code seq}. */
  public record Entry(long points, long seq) {}

  /** {@code entries} keyed {@code room/player} (room and player names have no '/'). */
  public record State(Map<String, Entry> entries, long updates, long stale, long evicted) {}

  public sealed interface Msg {}

  /** {@code player}'s total in {@code room} after their score {@code seq}. */
  public record Points(String room, String player, long seq, long total) implements Msg {}

  public record Top(ActorRef<Envelope> replyTo) implements Msg {}

  public record Standing(String room, String player, long points) {}

  /**
   * The reply to {@link Top}: the ten best, best first (ties by room, then player), the number of
   * entries kept and their points, updates applied, stale ones ignored, entries evicted.
   */
  public record Standings(int version, List<Standing> top, int entries, long points, long updates, long stale,
      long evicted) implements Msg {}

  public Leaderboard() {
    super(State.class, Msg.class);
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(Map.of(), 0, 0, 0);
  }

  @Override
  protected Receive<State, Msg> createReceive() {
    return newReceiveBuilder()
        .on(Points.class, this::points)
        .on(Top.class, this::top)
        .build();
  }

  private State points(BehaviourContext<Msg> ctx, State state, Points update) {
    String key = update.room() + "/" + update.player();
    Entry before = state.entries().get(key);
    if (before != null && update.seq() <= before.seq()) {
      return new State(state.entries(), state.updates(), state.stale() + 1, state.evicted());
    }
    TreeMap<String, Entry> entries = new TreeMap<>(state.entries());
    long evicted = state.evicted();
    if (before == null && entries.size() >= MAX_ENTRIES) {
      Map.Entry<String, Entry> lowest = entries.entrySet().stream().max(BY_POINTS).orElseThrow();
      evicted++;
      if (evicted == 1 || evicted % 1_000 == 0) {
        ctx.log().warn("leaderboard full ({} entries): {} entries evicted so far, the lowest giving way", MAX_ENTRIES,
            evicted);
      }
      if (lowest.getValue().points() >= update.total()) {
        return new State(state.entries(), state.updates(), state.stale(), evicted);
      }
      entries.remove(lowest.getKey());
    }
    entries.put(key, new Entry(update.total(), update.seq()));
    return new State(entries, state.updates() + 1, state.stale(), evicted);
  }

  private State top(BehaviourContext<Msg> ctx, State state, Top top) {
    List<Standing> best = state.entries().entrySet().stream()
        .sorted(BY_POINTS)
        .limit(TOP)
        .map(e -> {
          int slash = e.getKey().indexOf('/');
          return new Standing(e.getKey().substring(0, slash), e.getKey().substring(slash + 1), e.getValue().points());
        })
        .toList();
    long points = state.entries().values().stream().mapToLong(Entry::points).sum();
    ctx.reply(top.replyTo(), new Standings(ctx.version(), best, state.entries().size(), points, state.updates(),
        state.stale(), state.evicted()));
    return state;
  }

  /** Best first; ties by key, so every read orders them alike. */
  private static final Comparator<Map.Entry<String, Entry>> BY_POINTS =
      Comparator.<Map.Entry<String, Entry>>comparingLong(e -> -e.getValue().points()).thenComparing(Map.Entry::getKey);
}
