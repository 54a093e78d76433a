package dev.molt.examples.game;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.protocol.envelope.Envelope;
import java.util.Map;
import java.util.TreeMap;

/**
 * A game room, version 2: the state gains {@code zone} (as OTP's gen_server example gains an
 * {@code id}), set by the up-migration from the appup's {@code extra}; the down-migration drops it.
 */
public final class Room extends BaseBehaviour<Room.State, Room.Msg> {

  public record Player(long points, long scores, long lastSeq) {}

  public record State(String room, Map<String, Player> players, String zone) {}

  public interface Msg {}

  public record Join(String player, ActorRef<Envelope> replyTo) implements Msg {}

  public record Score(String player, long seq, long points, ActorRef<Envelope> replyTo) implements Msg {}

  public record Query(ActorRef<Envelope> replyTo) implements Msg {}

  public Room() {
    super(2, State.class, Msg.class, Map.of("join", Join.class, "score", Score.class, "query", Query.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(startArgument.isTextual() ? startArgument.asText() : "room", Map.of(), "unzoned");
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State state, Msg message) {
    if (message instanceof Join join) {
      Map<String, Player> players = new TreeMap<>(state.players());
      players.putIfAbsent(join.player(), new Player(0, 0, 0));
      ctx.reply(join.replyTo(), "joined", Map.of("room", state.room(), "player", join.player(), "players", players.size()));
      return new State(state.room(), players, state.zone());
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
      return new State(state.room(), players, state.zone());
    }
    if (message instanceof Query query) {
      ctx.reply(query.replyTo(), "room", Map.of("version", version(), "room", state.room(), "players", state.players(),
          "zone", state.zone()));
    }
    return state;
  }

  /** code_change(1, State, Extra): the room gets its zone from Extra. */
  @Override
  public State migrateUp(int fromVersion, JsonNode old, JsonNode extra, ReleaseJson json) {
    State carried = json.fromJson(old, State.class);
    return new State(carried.room(), carried.players(), extra.path("zone").asText("unzoned"));
  }

  /**
   * code_change({down, 1}, State, Extra): version 1 has no zone; it is dropped, not carried. A room
   * that comes back up gets the zone from Extra, not its own, so molt-release.json declares the
   * room's migrations {@code lossy} (else the rehearsal's round trip refuses the downgrade of a room
   * born on 2.0.0, which starts "unzoned").
   */
  @Override
  public JsonNode migrateDown(int toVersion, State state, JsonNode extra, ReleaseJson json) {
    ObjectNode v1 = (ObjectNode) json.toJson(state);
    v1.remove("zone");
    return v1;
  }

}
