package streams.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import streams.io.OutputDirs;
import streams.model.Json;
import streams.cli.KafkaReplay;
import streams.pipelines.LatencyProbes;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.StreamingProbe;

/**
 * One streaming run through the real Kafka broker. The pipeline runs as a real streaming job ({@code
 * --source=kafka --sink=kafka}, unbounded read) in its own JVM; once it has printed its start line and a
 * warm-up has passed, the input is appended to a fresh topic at the stated rate; the job ends itself when
 * nothing has changed for {@link #IDLE} ({@code --stopWhenIdle}). Then both topics are read back with the
 * broker's append times ({@code LogAppendTime}: no client clock is involved) and the latency measured by
 * the pipeline's {@link StreamingProbe} ({@link PipelineDescriptor#streaming}).
 *
 * The input is the comparison's generated events plus one closing transaction an hour after the last event,
 * so that the watermark passes every window (no pipeline counts it: revenue and join ignore transactions,
 * and one transaction is no fraud burst).
 */
final class StreamingRun {
  static final Duration IDLE = Duration.ofSeconds(15);
  static final Duration WARM_UP = Duration.ofSeconds(10);
  static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
  static final int PARTITIONS = 4;
  static final String CLOSING_TX_ID = "t-close";
  private static final String CLOSING_TX = "\"tx_id\":\"" + CLOSING_TX_ID + "\"";
  private StreamingRun() {}

  /** The comparison's input plus the closing transaction. */
  static List<String> input(List<String> lines) {
    long last = Long.MIN_VALUE;
    for (String line : lines) {
      Long t = LatencyProbes.eventTime(line);
      if (t != null) {
        last = Math.max(last, t);
      }
    }
    List<String> out = new ArrayList<>(lines);
    out.add(
        "{\"type\":\"transaction\",\"tx_id\":\"" + CLOSING_TX_ID + "\",\"account_id\":\"a-close\",\"amount\":1.00,"
            + "\"created_at\":\"" + Json.instant(last + 3_600_000L) + "\"}");
    return out;
  }

  /** A Kafka broker for the streaming runs: the project's own, started by scripts/kafka, or a given one. */
  static final class Broker implements AutoCloseable {
    final String bootstrapServers;
    private final Path projectRoot;
    private final Path dir;

    private Broker(String bootstrapServers, Path projectRoot, Path dir) {
      this.bootstrapServers = bootstrapServers;
      this.projectRoot = projectRoot;
      this.dir = dir;
    }

    static Broker external(String bootstrapServers) {
      return new Broker(bootstrapServers, null, null);
    }

    /** {@code scripts/kafka start} on a free port, data under {@code dir}. */
    static Broker start(Path projectRoot, Path dir, PrintStream out) throws IOException, InterruptedException {
      if (projectRoot == null) {
        throw new IOException("streaming runs need the project's scripts/kafka (run scripts/compare in the project)"
            + " or --bootstrapServers=H:P of a running broker");
      }
      int port = freePortPair();
      out.printf(Locale.ROOT, "starting a Kafka broker on 127.0.0.1:%d (scripts/kafka, data in %s) ...%n", port, dir);
      String log = script(projectRoot, "start", "--port=" + port, "--dir=" + dir);
      if (log != null) {
        script(projectRoot, "stop", "--dir=" + dir);
        throw new IOException("scripts/kafka start failed:\n" + log);
      }
      return new Broker("127.0.0.1:" + port, projectRoot, dir);
    }

    @Override
    public void close() throws IOException, InterruptedException {
      if (projectRoot != null) {
        script(projectRoot, "clean", "--dir=" + dir); // stops the broker, deletes its data, keeps its jars
      }
    }

    /** Runs scripts/kafka; null when it succeeded, else its output. */
    private static String script(Path root, String... args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>();
      cmd.add(root.resolve("scripts/kafka").toString());
      cmd.addAll(List.of(args));
      Path log = Files.createTempFile("kafka-script", ".log");
      try {
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          return "timed out\n" + Files.readString(log);
        }
        return p.exitValue() == 0 ? null : Files.readString(log);
      } finally {
        Files.deleteIfExists(log);
      }
    }

    private static int freePortPair() throws IOException {
      for (int attempt = 0; attempt < 50; attempt++) {
        int p;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
          p = s.getLocalPort();
        }
        if (p < 65535) {
          try (ServerSocket s = new ServerSocket(p + 1, 1, InetAddress.getByName("127.0.0.1"))) {
            return p;
          } catch (IOException busy) {
            // try another
          }
        }
      }
      throw new IOException("no free pair of ports");
    }
  }

  /**
   * Runs one streaming configuration and fills {@code r} (the child's own figures through {@link ChildRun},
   * the rest measured here); the results and dead letters are left in {@code outputDir} as JSON Lines for
   * the correctness check.
   */
  static void run(
      Launcher launcher,
      Broker broker,
      StreamingProbe probe,
      String id,
      List<String> input,
      double rate,
      List<String> pipelineOptions,
      Path runDir,
      Path outputDir,
      RunResult r,
      PrintStream out)
      throws IOException, InterruptedException {
    String inTopic = "in-" + id;
    String outTopic = "out-" + id;
    String deadTopic = outTopic + "-dead-letter";
    KafkaReplay.createTopics(broker.bootstrapServers, PARTITIONS, List.of(inTopic, outTopic, deadTopic));
    long feedSeconds = rate > 0 ? (long) Math.ceil(input.size() / rate) : 60;
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            r.pipeline,
            "--runner=" + r.runner,
            "--source=kafka",
            "--bootstrapServers=" + broker.bootstrapServers,
            "--topic=" + inTopic,
            "--maxOutOfOrderness=" + MAX_OUT_OF_ORDERNESS,
            "--sink=kafka",
            "--outputTopic=" + outTopic,
            "--stopWhenIdle=" + IDLE,
            "--stopAfter=PT" + (feedSeconds + 600) + "S"));
    args.addAll(pipelineOptions);
    Files.createDirectories(runDir);
    Exception[] childFailure = {null};
    Thread child =
        new Thread(
            () -> {
              try {
                ChildRun.run(launcher, args, runDir, outputDir, r);
              } catch (IOException | InterruptedException e) {
                childFailure[0] = e;
              }
            },
            "compare-streaming-child");
    child.start();
    Path stdout = runDir.resolve("stdout.log");
    String startLine = r.pipeline + " on " + r.runner + ": reading ";
    while (child.isAlive() && !contains(stdout, startLine)) {
      Thread.sleep(100);
    }
    if (child.isAlive()) {
      Thread.sleep(WARM_UP.toMillis());
    }
    if (child.isAlive()) {
      new KafkaReplay(broker.bootstrapServers, inTopic).replay(input, input.size(), rate, new PrintStream(
          Files.newOutputStream(runDir.resolve("feed.log")), true, StandardCharsets.UTF_8));
    }
    child.join();
    if (childFailure[0] != null) {
      throw new IOException("streaming run failed to start: " + childFailure[0], childFailure[0]);
    }
    if (!r.succeeded()) {
      return;
    }
    List<ConsumerRecord<byte[], byte[]>> in = readAll(broker.bootstrapServers, inTopic);
    List<ConsumerRecord<byte[], byte[]>> results = readAll(broker.bootstrapServers, outTopic);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(broker.bootstrapServers, deadTopic);
    measure(r, probe, in, results, dead, outputDir);
  }

  private static boolean contains(Path file, String text) {
    try {
      return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Every record of the topic, from the beginning to its end at the time of the call, in append order. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.currentTimeMillis() + 120_000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within 2 minutes");
        }
        consumer.poll(java.time.Duration.ofMillis(500)).forEach(records::add);
      }
    }
    records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
    return records;
  }

  static void measure(
      RunResult r,
      StreamingProbe probe,
      List<ConsumerRecord<byte[], byte[]>> in,
      List<ConsumerRecord<byte[], byte[]>> results,
      List<ConsumerRecord<byte[], byte[]>> dead,
      Path outputDir)
      throws IOException {
    if (in.size() > 1) {
      double seconds = (in.get(in.size() - 1).timestamp() - in.get(0).timestamp()) / 1e3;
      r.inputRateEventsPerSecond = seconds > 0 ? in.size() / seconds : null;
    }
    if (!in.isEmpty() && !results.isEmpty()) {
      r.firstResultSeconds = Math.max(0, results.get(0).timestamp() - in.get(0).timestamp()) / 1e3;
      r.throughputEventsPerSecond = null; // the command line's events / job time includes warm-up and idle wait
      if (probe.sustainedThroughput()) {
        // Sustained: input events over the span from the first input append to the last result append.
        // Only without windows or timers: their last results wait for the partitions to go idle.
        double span = (results.get(results.size() - 1).timestamp() - in.get(0).timestamp()) / 1e3;
        r.throughputEventsPerSecond = span > 0 ? in.size() / span : null;
      }
    }
    if (r.eventsIn == null) {
      r.eventsIn = (long) in.size(); // the runner reports no counts: what the job was given
    }
    List<StreamingProbe.Appended> input = appended(in, true);
    List<StreamingProbe.Appended> output = appended(results, false);
    List<String> values = new ArrayList<>();
    output.forEach(x -> values.add(x.value()));
    long bound = MAX_OUT_OF_ORDERNESS.toMillis();
    r.latencyBasis = probe.basis(bound);
    List<Double> latencies = probe.latencies(input, output, bound);
    r.lateDroppedDerived = probe.uncounted(input, values);
    List<String> answer = probe.finalAnswer(values);
    Latency.fill(r, latencies);
    Files.createDirectories(outputDir.resolve(OutputDirs.DEAD_LETTER_DIR));
    Files.write(outputDir.resolve("results-stream.jsonl"), answer, StandardCharsets.UTF_8);
    List<String> deadValues = new ArrayList<>();
    dead.forEach(x -> deadValues.add(new String(x.value(), StandardCharsets.UTF_8)));
    Files.write(
        outputDir.resolve(OutputDirs.DEAD_LETTER_DIR).resolve("dead-letters-stream.jsonl"), deadValues,
        StandardCharsets.UTF_8);
  }

  /**
   * The records as the probe sees them; the closing event is left out of the input: windows it closes wait
   * for the other partitions to go idle, a delay of the comparison's own making.
   */
  private static List<StreamingProbe.Appended> appended(
      List<ConsumerRecord<byte[], byte[]>> records, boolean input) {
    List<StreamingProbe.Appended> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> x : records) {
      String value = new String(x.value(), StandardCharsets.UTF_8);
      if (!input || !value.contains(CLOSING_TX)) {
        out.add(new StreamingProbe.Appended(value, x.timestamp()));
      }
    }
    return out;
  }
}
