package streams.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import streams.generate.EventGenerator;
import streams.io.KafkaBroker;

/**
 * A crash of a whole streaming run and its recovery, through the command line in a child process: events are
 * fed to the input topic at a steady rate, the run ({@code scripts/run} with the fat jar, or the command
 * line's main class in a child JVM on the test class path) reads and writes Kafka; once it has committed
 * output and completed a checkpoint after it, it is killed with SIGKILL (the JVM and every process under it);
 * the rest of the input is fed; the same command line is started again (Flink: with {@code
 * --restoreFrom=latest}; Spark: the same {@code --checkpointDir}) and drained once idle. The output topic
 * is read with {@code read_committed} and every result counted against the reference model: how many are
 * lost, how many written more than once, how many are not in the model at all.
 */
final class CrashHarness {
  static final Path ROOT = Paths.get("").toAbsolutePath();
  static final int PARTITIONS = 4;

  /** What to run and how to feed and kill it. */
  static final class Spec {
    String name;
    String pipeline;
    Engines engine = Engines.FLINK;
    List<String> pipelineArgs = List.of();
    boolean exactlyOnce;
    long checkpointMillis = 2_000;
    boolean useJar;
    int events = 3_000;
    long seed = 7;
    int eventsPerSecond = 150;
    /** At-least-once: kill only while output written after the latest checkpoint is on the topic. */
    boolean killBetweenWriteAndCheckpoint;
    Duration timeout = Duration.ofMinutes(6);
    /** How long each run waits with nothing new on its topics before it cancels itself ({@code --stopWhenIdle}). */
    Duration stopWhenIdle = Duration.ofSeconds(40);
  }

  /** What the checker found. */
  static final class Outcome {
    int events;
    int expected;
    int read;
    int lost;
    int duplicates;
    int unexpected;
    long outputAtKill;
    long writtenSinceCheckpointAtKill = -1;
    double killAfterSeconds;
    double recoverySeconds = -1;
    double secondRunSeconds;
    int secondRunExit;
    String restoredFrom = "";
    /** Wall-clock times (UTC) of the kill, the restart and the first new output, to match the runs' logs. */
    java.time.Instant killedAt;
    java.time.Instant restartedAt;
    java.time.Instant firstNewOutputAt;
    List<String> mismatches = new ArrayList<>();
    String firstLog = "";
    String secondLog = "";

    String summary(Spec spec) {
      return String.format(
          Locale.ROOT,
          "%s: %d events, %d results expected, %d read (read_committed); lost %d, duplicates %d, not in the model"
              + " %d; killed after %.1f s with %d output records%s; recovery (restart to first new output) %s;"
              + " second run %.1f s, exit %d%s",
          spec.name,
          events,
          expected,
          read,
          lost,
          duplicates,
          unexpected,
          killAfterSeconds,
          outputAtKill,
          writtenSinceCheckpointAtKill >= 0
              ? " (" + writtenSinceCheckpointAtKill + " written after the latest checkpoint)"
              : "",
          recoverySeconds < 0 ? "none seen" : String.format(Locale.ROOT, "%.1f s", recoverySeconds),
          secondRunSeconds,
          secondRunExit,
          restoredFrom.isEmpty() ? "" : "; " + restoredFrom)
          + String.format(
              Locale.ROOT, "; at (UTC) kill %s, restart %s, first new output %s", clock(killedAt), clock(restartedAt),
              clock(firstNewOutputAt))
          + (mismatches.isEmpty() ? "" : "\n  " + String.join("\n  ", mismatches));
    }

    private static String clock(java.time.Instant t) {
      return t == null ? "-" : java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.S").withZone(java.time.ZoneOffset.UTC).format(t);
    }
  }

  private CrashHarness() {}

  static List<String> events(int count, long seed) {
    List<String> lines = new ArrayList<>();
    // In event-time order on each partition (round robin of an ordered stream), nothing late, nothing
    // malformed: every result is decided by the data alone, whatever the timing of the crash.
    EventGenerator.builder().events(count).seed(seed).disorderMillis(0).lateFraction(0).badFraction(0).build()
        .forEach(lines::add);
    return lines;
  }

  /**
   * One cancelled order per partition, an hour after the last event: the watermark passes every window,
   * burst and buffer of the data, so that all their results are written without draining the job. They
   * give no result of their own (their window stays open; cancelled orders are no completed order; fraud
   * reads transactions), so the model of the data alone is the expected output.
   */
  static List<String> closingEvents(List<String> lines) {
    long last = 0;
    for (String l : lines) {
      try {
        Object e = streams.model.EventParser.parse(l);
        if (e instanceof streams.model.Order) {
          last = Math.max(last, ((streams.model.Order) e).createdAtMillis());
        } else if (e instanceof streams.model.Transaction) {
          last = Math.max(last, ((streams.model.Transaction) e).createdAtMillis());
        } else if (e instanceof streams.model.Payment) {
          last = Math.max(last, ((streams.model.Payment) e).paidAtMillis());
        }
      } catch (streams.model.EventParser.BadEventException ignored) {
        // none here
      }
    }
    List<String> closing = new ArrayList<>();
    String at = java.time.Instant.ofEpochMilli(last + 3_600_000L).toString();
    for (int p = 0; p < PARTITIONS; p++) {
      closing.add(
          "{\"type\":\"order\",\"order_id\":\"o-closing-" + p + "\",\"user_id\":\"u-closing\",\"amount\":1.00,"
              + "\"status\":\"CANCELLED\",\"created_at\":\"" + at + "\"}");
    }
    return closing;
  }

  static Outcome run(KafkaBroker broker, Path work, Spec spec, List<String> lines, List<String> expected)
      throws Exception {
    String in = spec.name + "-in";
    String out = spec.name + "-out";
    broker.createTopic(in, PARTITIONS, Map.of());
    // Output topics made beforehand (a topic created by the sink's first write may still be electing its
    // leader, and the producer's retry then fails the job); the exactly-once sink keeps shard i on partition i.
    for (String t : List.of(out, out + "-dead-letter", out + "-late")) {
      broker.createTopic(t, PARTITIONS, Map.of());
    }
    Path checkpoints = work.resolve("checkpoints");
    List<String> args = new ArrayList<>();
    args.add(spec.pipeline);
    args.add("--runner=" + spec.engine);
    args.addAll(
        List.of(
            "--source=kafka",
            "--bootstrapServers=" + broker.bootstrapServers(),
            "--topic=" + in,
            "--sink=kafka",
            "--outputTopic=" + out,
            // Cancelled once idle rather than drained: a Flink job with the exactly-once sink fails when its
            // sources finish ("There are still watermark holds left when terminating operator ...
            // ExactlyOnceWriter", Beam 2.62); the closing events below close every window of the data instead.
            "--stopWhenIdle=" + spec.stopWhenIdle,
            "--stop=cancel",
            "--stopAfter=PT5M"));
    if (spec.engine == Engines.FLINK) {
      args.add("--checkpointingInterval=" + spec.checkpointMillis);
      args.add("--stateBackendStoragePath=" + checkpoints.toUri());
    } else {
      args.add("--checkpointDir=" + checkpoints);
    }
    if (spec.exactlyOnce) {
      args.add("--exactlyOnce");
    }
    args.addAll(spec.pipelineArgs);

    Outcome o = new Outcome();
    o.events = lines.size();
    o.expected = expected.size();
    OutputWatch watch = new OutputWatch(broker, out, spec.exactlyOnce);
    List<String> fed = new ArrayList<>(lines);
    // Round robin: the closing events, one after another, reach every partition.
    fed.addAll(closingEvents(lines));
    Feeder feeder = new Feeder(broker, in, fed, spec.eventsPerSecond);
    long t0 = System.nanoTime();
    // The runs' logs outlive the test's temporary folder.
    Path logs = Files.createDirectories(ROOT.resolve("target/crash-logs").resolve(spec.name + "-" + System.currentTimeMillis()));
    Path log1 = logs.resolve("first-run.log");
    Process first = start(spec, args, log1);
    Process second = null;
    try {
      // Kill once output is committed and checkpoints were completed after it (the sink's state is in one),
      // and, for the at-least-once case, while output written after the latest checkpoint is on the topic.
      long firstOutputAt = -1;
      int checkpointsAfterOutput = 0;
      String lastCheckpoint = null;
      long lastCheckpointSeen = 0;
      long outputAtLastCheckpoint = 0;
      long deadline = System.nanoTime() + spec.timeout.toNanos();
      // The events are fed once the job is up (its first checkpoint, or Spark's checkpoint folder), so that
      // the kill falls mid-stream however long the engine takes to start.
      while (!jobUp(spec.engine, checkpoints) && first.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      feeder.start();
      while (true) {
        if (!first.isAlive()) {
          throw new AssertionError(
              spec.name + ": the first run ended before it could be killed (exit " + first.exitValue() + "):\n"
                  + tail(log1));
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(spec.name + ": no kill condition within " + spec.timeout + ":\n" + tail(log1));
        }
        long now = System.nanoTime();
        long count = watch.count();
        if (count > 0 && firstOutputAt < 0) {
          firstOutputAt = System.currentTimeMillis();
        }
        Optional<String> cp = latestCheckpoint(spec.engine, checkpoints);
        if (cp.isPresent() && !cp.get().equals(lastCheckpoint)) {
          lastCheckpoint = cp.get();
          lastCheckpointSeen = now;
          outputAtLastCheckpoint = count;
          // Completed (its last file written) after output was seen: the sink's state after that output is in it.
          if (firstOutputAt >= 0 && completedAt(spec.engine, checkpoints, cp.get()) > firstOutputAt) {
            checkpointsAfterOutput++;
          }
        }
        if (count >= expected.size()) {
          throw new AssertionError(
              spec.name + ": the whole output was written before the kill conditions held (checkpoints after the"
                  + " first output: " + checkpointsAfterOutput + "); feed more events or slower");
        }
        boolean ready = checkpointsAfterOutput >= 1;
        if (ready && spec.killBetweenWriteAndCheckpoint) {
          long sinceCheckpoint = now - lastCheckpointSeen;
          ready = count > outputAtLastCheckpoint && sinceCheckpoint < TimeUnit.MILLISECONDS.toNanos(spec.checkpointMillis / 2);
        }
        if (ready) {
          o.outputAtKill = count;
          o.writtenSinceCheckpointAtKill = spec.killBetweenWriteAndCheckpoint ? count - outputAtLastCheckpoint : -1;
          o.killAfterSeconds = (now - t0) / 1e9;
          o.killedAt = java.time.Instant.now();
          killTree(first);
          break;
        }
        Thread.sleep(50);
      }
      if (spec.killBetweenWriteAndCheckpoint
          && !latestCheckpoint(spec.engine, checkpoints).orElse("").equals(lastCheckpoint)) {
        // A checkpoint completed between the look and the kill: the output since the look is in it.
        o.writtenSinceCheckpointAtKill = 0;
      }
      o.firstLog = Files.readString(log1, StandardCharsets.UTF_8);
      feeder.join();
      List<String> again = new ArrayList<>(args);
      if (spec.engine == Engines.FLINK) {
        again.add("--restoreFrom=latest");
      }
      Path log2 = logs.resolve("second-run.log");
      long countBefore = watch.count();
      long restart = System.nanoTime();
      o.restartedAt = java.time.Instant.now();
      second = start(spec, again, log2);
      while (second.isAlive() && System.nanoTime() - restart < spec.timeout.toNanos()) {
        if (o.recoverySeconds < 0 && watch.count() > countBefore) {
          o.recoverySeconds = (System.nanoTime() - restart) / 1e9;
          o.firstNewOutputAt = java.time.Instant.now();
        }
        Thread.sleep(50);
      }
      if (second.isAlive()) {
        killTree(second);
        throw new AssertionError(spec.name + ": the second run did not end within " + spec.timeout + ":\n" + tail(log2));
      }
      o.secondRunExit = second.exitValue();
      o.secondRunSeconds = (System.nanoTime() - restart) / 1e9;
      if (o.recoverySeconds < 0 && watch.count() > countBefore) {
        o.recoverySeconds = o.secondRunSeconds;
      }
      o.secondLog = Files.readString(log2, StandardCharsets.UTF_8);
      o.restoredFrom =
          o.secondLog.lines().filter(l -> l.startsWith("restoring from") || l.startsWith("checkpoints: ")).collect(Collectors.joining("; "));
    } finally {
      feeder.interrupt();
      watch.close();
      if (first.isAlive()) {
        killTree(first);
      }
      if (second != null && second.isAlive()) {
        killTree(second);
      }
    }
    List<String> got =
        broker.consumeAll(out, true).stream().map(ConsumerRecord::value).collect(Collectors.toList());
    check(expected, got, o);
    return o;
  }

  /** Counts every result: lost (expected, never read), duplicates (read more than once), unexpected. */
  static void check(List<String> expected, List<String> got, Outcome o) {
    Map<String, Integer> counts = new HashMap<>();
    for (String g : got) {
      counts.merge(g, 1, Integer::sum);
    }
    Map<String, Integer> want = new HashMap<>();
    for (String e : expected) {
      want.merge(e, 1, Integer::sum);
    }
    o.read = got.size();
    List<String> lostSamples = new ArrayList<>();
    List<String> twiceSamples = new ArrayList<>();
    for (Map.Entry<String, Integer> e : want.entrySet()) {
      int n = counts.getOrDefault(e.getKey(), 0);
      o.lost += Math.max(0, e.getValue() - n);
      o.duplicates += Math.max(0, n - e.getValue());
      if (n < e.getValue() && lostSamples.size() < 3) {
        lostSamples.add(e.getKey());
      } else if (n > e.getValue() && twiceSamples.size() < 3) {
        twiceSamples.add(e.getKey() + " x" + n);
      }
    }
    // A few lost and repeated results by name, to see which part of the stream they come from.
    lostSamples.stream().sorted().forEach(l -> o.mismatches.add("lost " + l));
    twiceSamples.stream().sorted().forEach(l -> o.mismatches.add("repeated " + l));
    for (Map.Entry<String, Integer> g : counts.entrySet()) {
      if (!want.containsKey(g.getKey())) {
        o.unexpected += g.getValue();
        if (o.mismatches.size() < 3) {
          // The expected result nearest to it (longest common prefix: the same key), for the message.
          String near = "";
          int best = -1;
          for (String e : want.keySet()) {
            int n = 0;
            while (n < e.length() && n < g.getKey().length() && e.charAt(n) == g.getKey().charAt(n)) {
              n++;
            }
            if (n > best && !counts.containsKey(e)) {
              best = n;
              near = e;
            }
          }
          o.mismatches.add("got " + g.getKey() + " where the model has " + near);
        }
      }
    }
  }

  /** When a checkpoint was completed, in epoch milliseconds. */
  private static long completedAt(Engines engine, Path folder, String checkpoint) {
    Path p = engine == Engines.FLINK ? Paths.get(checkpoint, "_metadata") : folder.resolve("spark-checkpoint").resolve(checkpoint);
    return modified(p).toMillis();
  }

  private static boolean jobUp(Engines engine, Path folder) {
    return engine == Engines.FLINK
        ? latestCheckpoint(engine, folder).isPresent()
        : Files.isDirectory(folder.resolve("spark-checkpoint"));
  }

  /** The newest retained checkpoint (Flink) or Spark checkpoint file, as a name that changes with each. */
  static Optional<String> latestCheckpoint(Engines engine, Path folder) {
    if (engine == Engines.FLINK) {
      return Recovery.latest(folder).map(Path::toString);
    }
    Path spark = folder.resolve("spark-checkpoint");
    if (!Files.isDirectory(spark)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(spark)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
          .max((a, b) -> modified(a).compareTo(modified(b)))
          .map(p -> p.getFileName().toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** {@code scripts/run ARGS} (the fat jar), or the command line's main class in a child JVM. */
  static Process start(Spec spec, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    if (spec.useJar) {
      command.add(ROOT.resolve("scripts/run").toString());
    } else {
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(EngineJvmFlags.forEngine(Engines.FLINK, true, -1, -1, List.of()));
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (a.startsWith("--add-opens")) {
          command.add(a);
        }
      }
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Cli.class.getName());
    }
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    // scripts/run then execs the JVM: the process started here is the run itself.
    pb.environment().put("PORTABLE_STREAMS_CDS", "off");
    return pb.start();
  }

  /** kill -9 of the run: every process under it, then itself. */
  static void killTree(Process p) throws InterruptedException {
    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  static String tail(Path log) {
    try {
      List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Feeds the input topic at a steady rate, round robin over the partitions (each partition in order). */
  private static final class Feeder extends Thread {
    private final KafkaBroker broker;
    private final String topic;
    private final List<String> lines;
    private final int perSecond;
    private volatile boolean done;
    private volatile Exception failure;

    Feeder(KafkaBroker broker, String topic, List<String> lines, int perSecond) {
      super("crash-feeder");
      setDaemon(true);
      this.broker = broker;
      this.topic = topic;
      this.lines = lines;
      this.perSecond = perSecond;
    }

    boolean done() {
      return done;
    }

    @Override
    public void run() {
      try (KafkaProducer<String, String> producer = broker.producer()) {
        long start = System.nanoTime();
        for (int i = 0; i < lines.size(); i++) {
          long due = start + (long) (i * 1e9 / perSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, lines.get(i)));
        }
        producer.flush();
        done = true;
      } catch (InterruptedException e) {
        // The test ended.
      } catch (Exception e) {
        failure = e;
      }
    }

    @Override
    public String toString() {
      return failure == null ? "feeder" : "feeder failed: " + failure;
    }
  }

  /** Counts the records on the output topic as they become readable (read_committed). */
  private static final class OutputWatch implements AutoCloseable {
    private final AtomicLong count = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    OutputWatch(KafkaBroker broker, String topic, boolean readCommitted) {
      thread =
          new Thread(
              () -> {
                try (KafkaConsumer<String, String> consumer = broker.consumer(true)) {
                  List<TopicPartition> partitions = new ArrayList<>();
                  for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                  }
                  consumer.assign(partitions);
                  consumer.seekToBeginning(partitions);
                  while (!closed) {
                    count.addAndGet(consumer.poll(java.time.Duration.ofMillis(100)).count());
                  }
                }
              },
              "crash-output-watch");
      thread.setDaemon(true);
      thread.start();
    }

    long count() {
      return count.get();
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.join(5_000);
    }
  }
}
