package dev.molt.examples.game;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;
import java.util.TreeMap;

/**
 * A game room, version 1: players and their scores. One actor per room, started on demand. Scores
 * carry a per-player sequence number; a repeated one is acknowledged again but counted once, so a
 * client may resend after a timeout without double counting.
 */
public final class Room extends BaseBehaviour<Room.State, Room.Msg> {

  public record Player(long points, long scores, long lastSeq) {}

  public record State(String room, Map<String, Player> players) {}

  public interface Msg {}

  public record Join(String player, ActorRef<Envelope> replyTo) implements Msg {}

  public record Score(String player, long seq, long points, ActorRef<Envelope> replyTo) implements Msg {}

  public record Query(ActorRef<Envelope> replyTo) implements Msg {}

  public Room() {
    super(1, State.class, Msg.class, Map.of("join", Join.class, "score", Score.class, "query", Query.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.isTextual() ? startArgument.asText() : "room", Map.of());
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State state, Msg message) {
    if (message instanceof Join join) {
      Map<String, Player> players = new TreeMap<>(state.players());
      players.putIfAbsent(join.player(), new Player(0, 0, 0));
      ctx.reply(join.replyTo(), "joined", Map.of("room", state.room(), "player", join.player(), "players", players.size()));
      return new State(state.room(), players);
    }
    if (message instanceof Score score) {
      Player before = state.players().getOrDefault(score.player(), new Player(0, 0, 0));
      if (score.seq() <= before.lastSeq()) {
        ctx.reply(score.replyTo(), "scored", Map.of("player", score.player(), "seq", score.seq(), "duplicate", true));
        return state;
      }
      Map<String, Player> players = new TreeMap<>(state.players());
      Player after = new Player(before.points() + score.points(), before.scores() + 1, score.seq());
      players.put(score.player(), after);
      ctx.reply(score.replyTo(), "scored", Map.of("player", score.player(), "seq", score.seq(), "duplicate", false,
          "points", after.points()));
      return new State(state.room(), players);
    }
    if (message instanceof Query query) {
      ctx.reply(query.replyTo(), "room", Map.of("version", version(), "room", state.room(), "players", state.players()));
    }
    return state;
  }

}
