package dev.molt.orchestrator.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One Molt node as a real JVM process on 127.0.0.1, started from the test class path. */
public final class NodeProcess implements AutoCloseable {
  public final int index;
  public final int remotePort;
  public final int httpPort;
  /** The application port: the current release's own routes. */
  public final int appPort;
  public final Path store;
  public final Path log;
  private Process process;
  private volatile boolean suspended;

  NodeProcess(int index, Path workDir) throws IOException {
    this.index = index;
    this.remotePort = freePort();
    this.httpPort = freePort();
    this.appPort = freePort();
    this.store = Files.createDirectories(workDir.resolve("node-" + index + "-store"));
    this.log = workDir.resolve("node-" + index + ".log");
  }

  public String name() {
    return "127.0.0.1:" + remotePort;
  }

  public void start(int seedPort, List<String> extraProperties) throws IOException {
    start(seedPort, extraProperties, List.of());
  }

  /** Starts the node JVM; {@code arguments} go to MoltMain (bundles to unpack at start). */
  public void start(int seedPort, List<String> extraProperties, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        "-Dakka.remote.artery.canonical.hostname=127.0.0.1",
        "-Dakka.remote.artery.canonical.port=" + remotePort,
        "-Dakka.management.http.hostname=127.0.0.1",
        "-Dakka.management.http.port=" + httpPort,
        "-Dmolt.app.http.port=" + appPort,
        "-Dakka.cluster.seed-nodes.0=akka://molt@127.0.0.1:" + seedPort,
        // Fast failure detection and downing, so a killed node is handled within the test.
        "-Dakka.cluster.split-brain-resolver.stable-after=5s",
        "-Dakka.cluster.failure-detector.acceptable-heartbeat-pause=3s",
        "-Dmolt.release-store.dir=" + store,
        "-Dmolt.http.admin-password=" + LocalCluster.PASSWORD));
    command.addAll(extraProperties);
    command.add("dev.molt.orchestrator.boot.MoltMain");
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Test nodes run without an Akka licence key whatever the developer's shell holds (each test
    // JVM fits in Akka's 15-minute dev window), so they behave the same everywhere.
    builder.environment().remove("MOLT_AKKA_LICENSE_KEY");
    process = builder.start();
    Process started = process;
    // If the test JVM ends without closing the cluster (a crash, a timeout kill), its nodes end too.
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
  }

  /** The node JVM's process id (for jcmd). */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("node " + index + " was never started");
    }
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** Stops the node gracefully (it leaves the cluster) and waits for the process to end. */
  public void stopGracefully() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** kill -9: no shutdown hooks, no leaving the cluster. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** kill -STOP: the JVM freezes (as in a long GC pause); the cluster sees it unreachable. */
  public void suspend() throws IOException, InterruptedException {
    signal("STOP");
    suspended = true;
  }

  /** kill -CONT: the frozen JVM carries on where it was. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
    suspended = false;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Waits until this node's log contains {@code text}. */
  public void awaitLog(String text) throws InterruptedException {
    awaitLog(text, 1);
  }

  /** How many lines of this node's log contain {@code text}. */
  public long countLog(String text) {
    return logText().lines().filter(l -> l.contains(text)).count();
  }

  /** Waits until {@code times} lines of this node's log contain {@code text}. */
  public void awaitLog(String text, long times) throws InterruptedException {
    long deadline = System.nanoTime() + LocalCluster.WAIT.toNanos();
    while (countLog(text) < times) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("node " + name() + " never logged '" + text + "'; log " + log);
      }
      Thread.sleep(50);
    }
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (suspended) {
      try {
        resume();
      } catch (IOException | InterruptedException e) {
        process.destroyForcibly();
      }
    }
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Ports already given to a node of this test JVM: the OS may hand the same free port out twice. */
  private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
        if (GIVEN.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
    throw new IOException("no unused free port after 100 attempts");
  }
}
