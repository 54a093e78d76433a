package dev.molt.deploy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load client for the sample game: {@code rooms × players} streams of scores sent without pause
 * to the game's own API on the nodes' application ports ({@code POST /rooms/{room}/scores}) while
 * releases roll. {@link Spread#ALL_NODES} sends each room's scores to every node in turn (the rooms
 * are sharded: any node reaches any room); {@link Spread#PINNED} sends room i through node i mod N.
 * A score is acknowledged by a 2xx answer; a failed or timed-out send is retried with the same
 * sequence number (rooms count a repeat once). At the end every room is read back ({@code GET
 * /rooms/{room}}) through a node other than the one it was last written through (when there are
 * several and the rooms are spread), and each acknowledged score must be in it: {@code lost}
 * counts those that are not.
 *
 * <pre>java -cp 'deploy/target/lib/*' dev.molt.deploy.load.ScoreLoad --nodes http://127.0.0.1:8080,... \
 *   --rooms 30 --players 3 --workers 6 [--spread all-nodes|pinned] --stop-file deploy/local/run/load.stop [--seconds 60]</pre>
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

  /** How a room's scores are spread over the nodes. */
  public enum Spread {
    /** Each score of a room through the next node: needs rooms that every node reaches (sharded). */
    ALL_NODES,
    /** Room i through node i mod N only. */
    PINNED;

    static Spread parse(String text) {
      return switch (text) {
        case "all-nodes" -> ALL_NODES;
        case "pinned" -> PINNED;
        default -> throw new IllegalArgumentException("--spread must be all-nodes or pinned, was '" + text + "'");
      };
    }
  }

  private record Stream(int room, String player) {}

  private final List<URI> nodes;
  private final Spread spread;
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
  /** Per room: the node index its last acknowledged score went through, so that it is read through another. */
  private final ConcurrentHashMap<Integer, Integer> lastWriter = new ConcurrentHashMap<>();
  private volatile boolean window;

  /** {@code appNodes}: the nodes' application ports. */
  public ScoreLoad(List<URI> appNodes, int rooms, int playersPerRoom, int workers, Spread spread) {
    this.nodes = List.copyOf(appNodes);
    this.spread = spread;
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
        String body = "{\"player\": \"" + stream.player() + "\", \"seq\": " + seq + ", \"points\": 1}";
        int node = writer(stream.room(), sent.incrementAndGet());
        long started = System.nanoTime();
        JsonNode reply = send(node, "/rooms/" + room(stream.room()) + "/scores", body);
        maxLatency.accumulateAndGet((System.nanoTime() - started) / 1000, Math::max);
        if (reply != null) {
          acked.put(stream, seq);
          lastWriter.put(stream.room(), node);
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
      JsonNode state = send(reader(r), "/rooms/" + room(r), null);
      if (state == null) {
        problems.add(room(r) + " did not answer its read");
        continue;
      }
      JsonNode players = state.path("players");
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
          problems.add(room(r) + "/" + stream.player() + " acked " + ackedSeq + " but holds " + held);
        }
        if (scores != lastSeq || points != scores) {
          problems.add(room(r) + "/" + stream.player() + " has " + scores + " scores and " + points
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

  /** How many rooms have had a score acknowledged: each such room's entity runs. */
  public long roomsScored() {
    return acked.keySet().stream().map(Stream::room).distinct().count();
  }

  private static String room(int room) {
    return "room-" + room;
  }

  /** The node the {@code n}-th score (of all streams) for {@code room} goes through. */
  private int writer(int room, long n) {
    return spread == Spread.PINNED ? room % nodes.size() : (int) ((room + n) % nodes.size());
  }

  /** The node a room is read back through: another than its last writer, when the rooms are spread. */
  private int reader(int room) {
    int last = lastWriter.getOrDefault(room, room % nodes.size());
    return spread == Spread.PINNED ? last : (last + 1) % nodes.size();
  }

  /** A POST of {@code body} (a GET when null) to node {@code node}'s application port; the answer of a 2xx, else null. */
  private JsonNode send(int node, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(nodes.get(node).resolve(path))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20));
    request = body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2 ? JSON.readTree(response.body()) : null;
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
    Spread spread = Spread.ALL_NODES;
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
        case "--spread" -> spread = Spread.parse(args[++i]);
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
    ScoreLoad load = new ScoreLoad(nodes, rooms, players, workers, spread);
    load.start();
    System.out.println("load: started, " + rooms + " rooms x " + players + " players over " + nodes.size()
        + " node(s)' application ports, " + spread.name().toLowerCase().replace('_', '-'));
    long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
    while (System.nanoTime() < deadline && (stopFile == null || !Files.exists(stopFile))) {
      Thread.sleep(200);
    }
    Result result = load.stopAndVerify();
    System.out.println("load: " + result);
    System.exit(result.lost() == 0 && result.problems().isEmpty() ? 0 : 1);
  }
}
