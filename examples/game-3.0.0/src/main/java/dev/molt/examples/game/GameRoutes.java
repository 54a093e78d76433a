package dev.molt.examples.game;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.node.spi.ApplicationContext;
import dev.molt.node.spi.ApplicationRoutes;
import java.util.regex.Pattern;

/**
 * The game's own HTTP API, served by Molt on the application port and swapped with the release:
 * {@code POST /rooms/{room}/join {"player"}}, {@code POST /rooms/{room}/scores {"player","seq","points"}},
 * {@code GET /rooms/{room}}, and from 3.0.0 {@code GET /leaderboard} (the ten best across the
 * cluster). Each asks the entity by id, wherever it lives; the reply is the entity's own JSON.
 */
public final class GameRoutes extends AllDirectives implements ApplicationRoutes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public record JoinBody(String player) {}

  public record ScoreBody(String player, Long seq, Long points) {}

  @Override
  public Route routes(ApplicationContext ctx) {
    Route leaderboard = path("leaderboard", () -> get(() ->
        ctx.completeAsync(ctx.ask(Leaderboard.TYPE, Leaderboard.ID, Leaderboard.Top::new, JsonNode.class))));
    return concat(leaderboard, pathPrefix("rooms", () -> pathPrefix(PathMatchers.segment(), room -> {
      if (!NAME.matcher(room).matches()) {
        return ctx.problem(StatusCodes.BAD_REQUEST, "bad room", "a room id is 1 to 64 of A-Z a-z 0-9 . _ -");
      }
      return concat(
          pathEnd(() -> get(() -> ctx.completeAsync(ctx.ask("room", room, Room.Query::new, JsonNode.class)))),
          path("join", () -> post(() -> ctx.entity(JoinBody.class, body -> {
            String bad = player(body.player());
            return bad != null ? ctx.problem(StatusCodes.BAD_REQUEST, "bad field", bad)
                : ctx.completeAsync(ctx.ask("room", room, replyTo -> new Room.Join(body.player(), replyTo), JsonNode.class));
          }))),
          path("scores", () -> post(() -> ctx.entity(ScoreBody.class, body -> {
            String bad = score(body);
            return bad != null ? ctx.problem(StatusCodes.BAD_REQUEST, "bad field", bad)
                : ctx.completeAsync(ctx.ask("room", room,
                    replyTo -> new Room.Score(body.player(), body.seq(), body.points(), replyTo), JsonNode.class));
          }))));
    })));
  }

  private static String player(String player) {
    return player == null || !NAME.matcher(player).matches()
        ? "field 'player' must be 1 to 64 of A-Z a-z 0-9 . _ -, was " + (player == null ? "missing" : "'" + player + "'") : null;
  }

  private static String score(ScoreBody body) {
    String bad = player(body.player());
    if (bad != null) {
      return bad;
    }
    if (body.seq() == null || body.seq() < 1) {
      return "field 'seq' must be an integer >= 1 (the player's score sequence number), was " + body.seq();
    }
    if (body.points() == null || body.points() < 0) {
      return "field 'points' must be an integer >= 0, was " + body.points();
    }
    return null;
  }
}
