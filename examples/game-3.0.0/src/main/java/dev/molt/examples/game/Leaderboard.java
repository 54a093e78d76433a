package dev.molt.examples.game;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.BehaviourContext;
import dev.molt.node.spi.ReleaseJson;
import dev.molt.node.spi.BaseBehaviour;
import dev.molt.protocol.envelope.Envelope;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** New in 3.0.0: the node's leaderboard, fed by its rooms; answers with the top ten players. */
public final class Leaderboard extends BaseBehaviour<Leaderboard.State, Leaderboard.Msg> {

  public record State(Map<String, Long> points, long updates) {}

  public interface Msg {}

  public record Points(String room, String player, long points) implements Msg {}

  public record Top(ActorRef<Envelope> replyTo) implements Msg {}

  public Leaderboard() {
    super(1, State.class, Msg.class, Map.of("points", Points.class, "top", Top.class));
  }

  @Override
  public State initialState(JsonNode startArgument, ReleaseJson json) {
    return new State(Map.of(), 0);
  }

  @Override
  public State onMessage(BehaviourContext<Msg> ctx, State state, Msg message) {
    if (message instanceof Points p) {
      Map<String, Long> points = new TreeMap<>(state.points());
      points.merge(p.room() + "/" + p.player(), p.points(), Long::sum);
      return new State(points, state.updates() + 1);
    }
    if (message instanceof Top top) {
      Map<String, Long> best = new LinkedHashMap<>();
      state.points().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
          .limit(10)
          .forEach(e -> best.put(e.getKey(), e.getValue()));
      ctx.reply(top.replyTo(), "top", Map.of("top", best, "updates", state.updates()));
    }
    return state;
  }
}
