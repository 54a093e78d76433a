package dev.molt.deploy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load client for the sample game: {@code rooms × players} streams of scores, each room served by
 * one node (room i through node i mod N), sent without pause over Molt's actor route while
 * releases roll. A score is acknowledged once its room answered "scored"; a failed or timed-out
 * send is retried with the same sequence number (rooms count a repeat once). At the end every
 * room's state is read and each acknowledged score must be in it: {@code lost} counts those that
 * are not.
 *
 * <pre>java -cp 'deploy/target/lib/*' dev.molt.deploy.load.ScoreLoad --nodes http://127.0.0.1:8558,... \
 *   --rooms 30 --players 3 --workers 6 --stop-file deploy/local/run/load.stop [--seconds 60]</pre>
 */
public final class ScoreLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the run did. {@code lost} must be 0. */
  public record Result(long sent, long acked, long retried, long lost, long maxLatencyMicros, int rooms, String problems) {
    @Override
    public String toString() {
      return "sent=" + sent + " acked=" + acked + " retried=" + retried + " lost=" + lost + " rooms=" + rooms
          + " max-latency=" + maxLatencyMicros / 1000 + "ms" + (problems.isEmpty() ? "" : " problems=" + problems);
    }
  }

  private record Stream(int room, String player) {}

  private final List<URI> nodes;
  private final String authorization;
  private final int rooms;
  private final List<Stream> streams = new ArrayList<>();
  private final int workers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong maxLatency = new AtomicLong();
  private final ConcurrentHashMap<Stream, Long> acked = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  /** Per stream: when its last score was acknowledged, and the longest gap inside the window. */
  private final ConcurrentHashMap<Stream, Long> lastAck = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Stream, Long> windowGap = new ConcurrentHashMap<>();
  private volatile boolean window;

  public ScoreLoad(List<URI> nodes, String user, String password, int rooms, int playersPerRoom, int workers) {
    this.nodes = List.copyOf(nodes);
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.rooms = rooms;
    this.workers = workers;
    for (int r = 0; r < rooms; r++) {
      for (int p = 0; p < playersPerRoom; p++) {
        streams.add(new Stream(r, "player-" + p));
      }
    }
  }

  public void start() {
    for (int w = 0; w < workers; w++) {
      List<Stream> mine = new ArrayList<>();
      for (int i = w; i < streams.size(); i += workers) {
        mine.add(streams.get(i));
      }
      Thread thread = new Thread(() -> run(mine), "score-load-" + w);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void run(List<Stream> mine) {
    while (!stop.get()) {
      for (Stream stream : mine) {
        if (stop.get()) {
          return;
        }
        long seq = acked.getOrDefault(stream, 0L) + 1;
        String body = "{\"type\": \"score\", \"payload\": {\"player\": \"" + stream.player() + "\", \"seq\": " + seq
            + ", \"points\": 1}}";
        long started = System.nanoTime();
        sent.incrementAndGet();
        JsonNode reply = post(stream.room(), body);
        maxLatency.accumulateAndGet((System.nanoTime() - started) / 1000, Math::max);
        if (reply != null && "scored".equals(reply.path("type").asText())) {
          acked.put(stream, seq);
          long now = System.nanoTime();
          Long previous = lastAck.put(stream, now);
          if (window && previous != null) {
            windowGap.merge(stream, now - previous, Math::max);
          }
        } else {
          retried.incrementAndGet();
          pause();
        }
      }
    }
  }

  /** Stops sending, waits for in-flight sends, then checks every acknowledged score against the rooms. */
  public Result stopAndVerify() {
    stop.set(true);
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long lost = 0;
    List<String> problems = new ArrayList<>();
    for (int r = 0; r < rooms; r++) {
      JsonNode state = post(r, "{\"type\": \"query\"}");
      if (state == null || !"room".equals(state.path("type").asText())) {
        problems.add("room-" + r + " did not answer its query");
        continue;
      }
      JsonNode players = state.path("payload").path("players");
      for (Stream stream : streams) {
        if (stream.room() != r) {
          continue;
        }
        long ackedSeq = acked.getOrDefault(stream, 0L);
        JsonNode player = players.path(stream.player());
        long lastSeq = player.path("lastSeq").asLong(0);
        long scores = player.path("scores").asLong(0);
        long points = player.path("points").asLong(0);
        // Seqs 1..ackedSeq were each acknowledged once applied; every one must be counted, once.
        long held = Math.min(lastSeq, scores);
        if (held < ackedSeq) {
          lost += ackedSeq - held;
          problems.add("room-" + r + "/" + stream.player() + " acked " + ackedSeq + " but holds " + held);
        }
        if (scores != lastSeq || points != scores) {
          problems.add("room-" + r + "/" + stream.player() + " has " + scores + " scores and " + points
              + " points for seq " + lastSeq);
        }
      }
    }
    long totalAcked = acked.values().stream().mapToLong(Long::longValue).sum();
    return new Result(sent.get(), totalAcked, retried.get(), lost, maxLatency.get(), rooms, String.join("; ", problems));
  }

  /** Starts measuring how long each stream goes without an acknowledged score. */
  public void startWindow() {
    windowGap.clear();
    window = true;
  }

  /**
   * Ends the window: each stream's longest time without an acknowledged score (its room's
   * unavailability as a client sees it), in microseconds, including the time since its last ack.
   */
  public List<Long> endWindow() {
    window = false;
    long now = System.nanoTime();
    List<Long> gaps = new ArrayList<>();
    for (Stream stream : streams) {
      long sinceLast = now - lastAck.getOrDefault(stream, now);
      gaps.add(Math.max(windowGap.getOrDefault(stream, 0L), sinceLast) / 1000);
    }
    return gaps;
  }

  public long acked() {
    return acked.values().stream().mapToLong(Long::longValue).sum();
  }

  private JsonNode post(int room, String body) {
    URI node = nodes.get(room % nodes.size());
    HttpRequest request = HttpRequest.newBuilder(node.resolve("/molt/actors/rooms/room-" + room + "?reply=true"))
        .header("Content-Type", "application/json")
        .header("Authorization", authorization)
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws Exception {
    List<URI> nodes = new ArrayList<>();
    int rooms = 30;
    int players = 3;
    int workers = 6;
    Path stopFile = null;
    long seconds = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> {
          for (String n : args[++i].split(",")) {
            nodes.add(URI.create(n.trim()));
          }
        }
        case "--rooms" -> rooms = Integer.parseInt(args[++i]);
        case "--players" -> players = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--stop-file" -> stopFile = Path.of(args[++i]);
        case "--seconds" -> seconds = Long.parseLong(args[++i]);
        default -> {
          System.err.println("load: unknown argument '" + args[i] + "'; see the class comment for usage");
          System.exit(2);
        }
      }
    }
    if (nodes.isEmpty() || (stopFile == null && seconds <= 0)) {
      System.err.println("load: --nodes and one of --stop-file or --seconds are required");
      System.exit(2);
    }
    String user = System.getenv().getOrDefault("MOLT_ADMIN_USER", "admin");
    String password = System.getenv().getOrDefault("MOLT_ADMIN_PASSWORD", "");
    ScoreLoad load = new ScoreLoad(nodes, user, password, rooms, players, workers);
    load.start();
    System.out.println("load: started, " + rooms + " rooms x " + players + " players over " + nodes.size() + " node(s)");
    long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
    while (System.nanoTime() < deadline && (stopFile == null || !Files.exists(stopFile))) {
      Thread.sleep(200);
    }
    Result result = load.stopAndVerify();
    System.out.println("load: " + result);
    System.exit(result.lost() == 0 && result.problems().isEmpty() ? 0 : 1);
  }
}
