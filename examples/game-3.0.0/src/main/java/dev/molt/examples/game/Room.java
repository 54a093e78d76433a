package dev.molt.examples.game;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.entity.UnknownEntityTypeException;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.MoltBehaviour;
import dev.molt.node.spi.Receive;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;
import java.util.TreeMap;

/**
 * A game room, version 3, written with the Akka-style SPI (its message names, derived from the
 * sealed {@code Msg}, are version 2's: join, score, query): same state as version 2 (default
 * migrations), and every new score also sends the player's total in the room to the game's one
 * {@link Leaderboard} entity, through Cluster Sharding (a repeated score sends nothing: the room
 * counts it once).
 */
public final class Room extends MoltBehaviour<Room.State, Room.Msg> {

  public record Player(long points, long scores, long lastSeq) {}

  public record State(String room, Map<String, Player> players, String zone) {}

  public sealed interface Msg {}

  public record Join(String player, ActorRef<Envelope> replyTo) implements Msg {}

  public record Score(String player, long seq, long points, ActorRef<Envelope> replyTo) implements Msg {}

  public record Query(ActorRef<Envelope> replyTo) implements Msg {}

  public Room() {
    super(State.class, Msg.class);
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.isTextual() ? startArgument.asText() : "room", Map.of(), "unzoned");
  }

  @Override
  protected Receive<State, Msg> createReceive() {
    return newReceiveBuilder()
        .on(Join.class, this::join)
        .on(Score.class, this::score)
        .on(Query.class, this::query)
        .build();
  }

  private State join(BehaviourContext<Msg> ctx, State state, Join join) {
    Map<String, Player> players = new TreeMap<>(state.players());
    players.putIfAbsent(join.player(), new Player(0, 0, 0));
    ctx.reply(join.replyTo(), "joined", Map.of("room", state.room(), "player", join.player(), "players", players.size()));
    return new State(state.room(), players, state.zone());
  }

  private State score(BehaviourContext<Msg> ctx, State state, Score score) {
    Player before = state.players().getOrDefault(score.player(), new Player(0, 0, 0));
    if (score.seq() <= before.lastSeq()) {
      ctx.reply(score.replyTo(), "scored", Map.of("player", score.player(), "seq", score.seq(), "duplicate", true));
      return state;
    }
    Map<String, Player> players = new TreeMap<>(state.players());
    Player after = new Player(before.points() + score.points(), before.scores() + 1, score.seq());
    players.put(score.player(), after);
    report(ctx, new Leaderboard.Points(state.room(), score.player(), score.seq(), after.points()));
    ctx.reply(score.replyTo(), "scored", Map.of("player", score.player(), "seq", score.seq(), "duplicate", false,
        "points", after.points()));
    return new State(state.room(), players, state.zone());
  }

  private State query(BehaviourContext<Msg> ctx, State state, Query query) {
    ctx.reply(query.replyTo(), "room", Map.of("version", ctx.version(), "room", state.room(), "players", state.players(),
        "zone", state.zone()));
    return state;
  }

  /**
   * Sends the player's new total to the leaderboard, wherever in the cluster it lives. On a node
   * going down to 2.0.0 the type is dropped when 2.0.0 becomes current, a moment before this room
   * is swapped: the update is not sent (the leaderboard goes away with 3.0.0), and the score counts
   * in the room all the same.
   */
  private static void report(BehaviourContext<Msg> ctx, Leaderboard.Points points) {
    try {
      ctx.tellEntity(Leaderboard.TYPE, Leaderboard.ID, points);
    } catch (UnknownEntityTypeException e) {
      ctx.log().warn("room {}: score {} of {} not sent to the leaderboard: {}", points.room(), points.seq(),
          points.player(), e.getMessage());
    }
  }
}
