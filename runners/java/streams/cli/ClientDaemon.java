package streams.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import streams.harness.Trees;

/**
 * The resident client of a Flink session cluster started by {@code scripts/cluster flink start}: a JVM that
 * stays up next to the cluster and runs the command lines {@code scripts/run} sends it, one at a time, so
 * that a small batch job on the cluster does not pay for a new JVM, its class loading and a cold JIT. A
 * 1 000-event {@code revenue} on the running cluster took 3.9-4.4 s from command to result with a new JVM
 * each time; of that, 1.8-1.9 s passed before the command line printed its first line and 0.9-1.0 s in
 * building and translating the pipeline, both mostly gone in a JVM that has run the command before (README,
 * "A warm cluster").
 *
 * <p>{@code scripts/run} sends a batch run on the cluster this client was started for (its {@code
 * --flinkMaster}), when it runs from the same working directory and the same jar (size and modification
 * time, as {@link Engines#fingerprint}), without {@code --verbose} or {@code JAVA_OPTS}; anything else, and
 * any run while another one is going on here, starts its own JVM as before. Streaming runs always do (they
 * run until stopped, and stopping is the own JVM's signal handling).
 *
 * <p>Protocol, one connection per command, on 127.0.0.1 only: the request is lines of UTF-8 text, the
 * working directory, the jar's fingerprint, the number of arguments, then each argument. The reply is
 * lines, {@code o TEXT} (stdout), {@code e TEXT} (stderr), then {@code x CODE} (the exit code); or one line
 * {@code r REASON} when this client does not take the command (the caller then runs it in a new JVM).
 */
public final class ClientDaemon {
  private final ServerSocket server;
  private final String workingDirectory;
  private final String fingerprint;
  private final PrintStream ownErr = System.err;
  private final AtomicBoolean busy = new AtomicBoolean();

  ClientDaemon(int port, String workingDirectory, String fingerprint) throws IOException {
    this.server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
    this.workingDirectory = workingDirectory;
    this.fingerprint = fingerprint;
  }

  /**
   * {@code ClientDaemon PORT [--configDir DIR] [--cluster HOST:PORT] [--logDir DIR]}: serves until killed;
   * the working directory and jar are this JVM's own ({@code --configDir}, ignored, marks the process as the
   * cluster's for {@code scripts/cluster}). With {@code --cluster} (the cluster's REST address) it warms up on
   * that cluster ({@link #warmUp}), else on an embedded Flink. The warm-up's logs and output go to {@code
   * --logDir}'s {@code client-warm-up} folder (replaced at each start), or without it to a temporary folder
   * deleted after the warm-up.
   */
  public static void main(String[] args) throws IOException {
    String cluster = null;
    Path logDir = null;
    boolean usage = args.length % 2 != 1 || !args[0].matches("\\d+");
    for (int i = 1; i + 1 < args.length && !usage; i += 2) {
      if (args[i].equals("--cluster")) {
        cluster = args[i + 1];
      } else if (args[i].equals("--logDir")) {
        logDir = Paths.get(args[i + 1]);
      } else {
        usage = !args[i].equals("--configDir");
      }
    }
    if (usage) {
      System.err.println("usage: ClientDaemon PORT [--configDir DIR] [--cluster HOST:PORT] [--logDir DIR]");
      System.exit(2);
    }
    Path jar = ownJar();
    ClientDaemon daemon =
        new ClientDaemon(
            Integer.parseInt(args[0]),
            Paths.get("").toAbsolutePath().toString(),
            jar == null ? "classes" : Engines.fingerprint(jar));
    System.out.println("client: serving on 127.0.0.1:" + daemon.port() + " for " + daemon.workingDirectory);
    System.out.flush();
    daemon.busy.set(true);
    Thread server = new Thread(daemon::serve, "client-accept");
    server.start();
    daemon.warmUp(cluster, logDir);
    daemon.busy.set(false);
  }

  /**
   * Warms up before taking commands (they go to new JVMs meanwhile). Without a cluster: {@link #WARM_UP}
   * once on an embedded Flink, so that the classes a run loads and the code the JIT compiles for building
   * and translating a pipeline are ready (the first command on a new cluster took 16 s without it, 9.3 s
   * with it). With the cluster's address: the same small job on the cluster, again and again until one
   * takes under {@value #WARM_MILLIS} ms, at most {@value #CLUSTER_WARM_UPS} times and {@value
   * #WARM_UP_BUDGET_MILLIS} ms: the cluster's own first jobs are slow too (its TaskManager loads and compiles
   * Beam's classes; measured one after the other on a new cluster: 13.1, 4.6, 3.4, 4.0, 2.7, 1.9, 2.4 s,
   * then 1.3-2.0 s), and a user's first commands should find it warm.
   */
  void warmUp(String cluster, Path logDir) {
    long start = System.nanoTime();
    Path dir;
    try {
      if (logDir == null) {
        dir = java.nio.file.Files.createTempDirectory("client-warm-up");
      } else {
        dir = logDir.resolve("client-warm-up");
        Trees.delete(dir);
        java.nio.file.Files.createDirectories(dir);
      }
    } catch (IOException e) {
      return;
    }
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    System.setErr(quiet);
    List<String> times = new ArrayList<>();
    int code = 0;
    for (int run = 1; run <= (cluster == null ? 1 : CLUSTER_WARM_UPS); run++) {
      List<String> args = new ArrayList<>(WARM_UP);
      args.addAll(cluster == null ? EMBEDDED : List.of("--flinkMaster=" + cluster));
      args.add("--output=" + dir.resolve("output"));
      args.add("--logDir=" + dir);
      long t0 = System.nanoTime();
      try {
        code = Cli.execute(args, quiet);
      } catch (RuntimeException e) {
        code = -1;
      } finally {
        EngineLog.endRun(ownErr);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      times.add(String.format(java.util.Locale.ROOT, "%.1f", millis / 1e3));
      if (code != 0 || millis < WARM_MILLIS || (System.nanoTime() - start) / 1_000_000 > WARM_UP_BUDGET_MILLIS) {
        break;
      }
    }
    System.out.printf(
        java.util.Locale.ROOT,
        "client: warmed up (exit %d) in %.1f s (%s: %s s); logs in %s%n",
        code,
        (System.nanoTime() - start) / 1e9,
        cluster == null ? "embedded Flink" : "on the cluster",
        String.join(", ", times),
        logDir == null ? "none kept" : dir);
    System.out.flush();
    if (logDir == null) {
      try {
        Trees.delete(dir);
      } catch (IOException e) {
        System.out.println("client: could not delete " + dir + ": " + e.getMessage());
      }
    }
  }

  /** The warm-up run (plus where it runs, its --output and --logDir). */
  static final List<String> WARM_UP = List.of("revenue", "--runner=flink", "--events=1000");

  /** Where the warm-up runs without a cluster. */
  private static final List<String> EMBEDDED = List.of("--flinkMaster=[local]", "--parallelism=1");

  /** A cluster warm-up ends with the first job under this long, or after this many jobs or this long. */
  static final long WARM_MILLIS = 2_000;

  static final int CLUSTER_WARM_UPS = 10;
  static final long WARM_UP_BUDGET_MILLIS = 60_000;

  int port() {
    return server.getLocalPort();
  }

  /** Accepts until the socket is closed; each command on its own thread (a second one is refused). */
  void serve() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        continue;
      }
      Thread t = new Thread(() -> handle(socket), "client-command");
      t.setDaemon(true);
      t.start();
    }
  }

  void close() throws IOException {
    server.close();
  }

  private void handle(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream raw = socket.getOutputStream()) {
      Reply reply = new Reply(raw);
      String cwd = in.readLine();
      String jar = in.readLine();
      String count = in.readLine();
      if (cwd == null || jar == null || count == null || !count.matches("\\d{1,4}")) {
        reply.line("r malformed request");
        return;
      }
      List<String> args = new ArrayList<>();
      for (int i = Integer.parseInt(count); i > 0; i--) {
        String a = in.readLine();
        if (a == null) {
          reply.line("r malformed request");
          return;
        }
        args.add(a);
      }
      if (!cwd.equals(workingDirectory)) {
        reply.line("r another working directory (this client runs in " + workingDirectory + ")");
        return;
      }
      if (!jar.equals(fingerprint)) {
        reply.line("r another jar (this client runs " + fingerprint + ")");
        return;
      }
      String refusal = refusal(args);
      if (refusal != null) {
        reply.line("r " + refusal);
        return;
      }
      if (!busy.compareAndSet(false, true)) {
        reply.line("r busy with another command");
        return;
      }
      try {
        reply.line("a");
        int code = run(args, reply);
        reply.line("x " + code);
      } finally {
        busy.set(false);
      }
    } catch (IOException e) {
      // The caller went away (interrupted): its job, if one started, runs to its end here.
    }
  }

  /** Why a command is not for this client (null: it is): a streaming run needs its own JVM. */
  static String refusal(List<String> args) {
    for (String a : args) {
      if (a.equals("--source=kafka") || (a.startsWith("--streaming") && !a.equals("--streaming=false"))) {
        return "a streaming run (" + a + ") runs in its own JVM";
      }
    }
    return null;
  }

  private int run(List<String> args, Reply reply) {
    PrintStream out = new PrintStream(reply.stream('o'), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(reply.stream('e'), true, StandardCharsets.UTF_8);
    System.setErr(err);
    try {
      return Cli.execute(List.copyOf(args), out);
    } catch (RuntimeException e) {
      err.println("error: " + JobCounters.rootCause(e).split("\\R", 2)[0]);
      return 1;
    } finally {
      out.close();
      err.close();
      EngineLog.endRun(ownErr);
    }
  }

  private static Path ownJar() {
    try {
      Path p = Paths.get(ClientDaemon.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p : null;
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** The reply: whole lines, each with its kind, written under one lock. */
  private static final class Reply {
    private final OutputStream raw;

    Reply(OutputStream raw) {
      this.raw = raw;
    }

    synchronized void line(String text) {
      try {
        raw.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        raw.flush();
      } catch (IOException e) {
        // The caller went away; the command goes on to its end.
      }
    }

    /** A stream whose complete lines become reply lines of the given kind. */
    OutputStream stream(char kind) {
      return new LineStream(text -> line(kind + " " + text));
    }
  }
}
