package streams.benchmarks.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import streams.cli.EngineJvmFlags;
import streams.cli.EngineOptionsRegistrar;
import streams.cli.Engines;
import streams.cli.KafkaReplay;
import streams.cli.RunnerLimits;
import streams.generate.EventGenerator;
import streams.model.EventParser;
import streams.model.Json;
import streams.model.Order;
import streams.model.Transaction;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.Pipelines;
import streams.reference.CompletedModel;
import streams.reference.RevenueModel;

/**
 * {@code scripts/bench --mode=streaming}: Beam on Flink and on Spark against a hand-written Flink job
 * ({@link NativeFlinkKafka}), Kafka to Kafka, each run in its own JVM, alternating (forward on odd rounds,
 * backward on even ones), medians over the rounds.
 *
 * <ul>
 *   <li><b>Backlog throughput</b>: the input topic is filled beforehand with N generated events; the job
 *       starts, reads the backlog to the end offsets it finds at start-up ({@code --readMode=toEnd}, the native
 *       job's bounded source) and ends by itself. Its processing span is the time between the first and the
 *       last append of its results on the output topic, both broker append times ({@code LogAppendTime}): no
 *       feeder competes with the job, no client clock and no start-up is counted. Throughput = N / span.
 *   <li><b>Latency</b> ({@code --latencyPipelines}: {@code completed}, a stateless filter, and {@code fraud},
 *       whose alerts wait for the watermark): a fresh topic fed at a fixed rate, the partitions in turn,
 *       while the job runs (unbounded read); per result, its append time minus the append time of the event
 *       it answers (the order; the alert's transaction); p50/p95/p99 over the events appended after the
 *       first {@code --latencySkip} of the feed (the job's warm-up). For {@code fraud}, one transaction of a
 *       new account per partition an hour of event time after the feed follows it, so that the watermark
 *       passes the last transactions too (else they would wait for the job's end) and the whole model is
 *       written.
 *   <li><b>Small job</b>: wall time of the whole process (launch to exit, start-up included) over a topic of
 *       {@code --smallEvents} events.
 * </ul>
 *
 * Every run's results are checked against the reference models ({@code streams.reference}): {@code
 * completed} and {@code fraud} as the sorted result lines; {@code revenue} as the last pane of each (user,
 * window) (the value an upserting consumer keeps), count and total, against the model's. The input is
 * generated without late events ({@code lateFraction 0}, disorder within {@code --maxOutOfOrderness}): no
 * order or transaction is late for the watermark, so the streaming answer is the batch model's on every
 * engine. A pipeline that the project's command line refuses on an engine in streaming ({@code fraud} needs
 * event-time timers, which Beam's Spark runner lacks there) is not run on it, and the benchmark says so.
 */
@Command(
    name = "scripts/bench --mode=streaming",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Streaming through Kafka: backlog throughput, latency at a fixed rate and small-job wall time of"
        + " Beam on Flink and Spark against a native Flink DataStream job.")
public final class StreamingBench implements Callable<Integer> {
  @Option(names = "--mode", defaultValue = "streaming", description = "streaming (this benchmark).")
  String mode;

  @Option(names = "--events", defaultValue = "1000000", description = "Backlog events (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--pipelines", split = ",", defaultValue = "completed,revenue",
      description = "completed, revenue, fraud (default ${DEFAULT-VALUE}).")
  List<String> pipelines;

  @Option(names = "--engines", split = ",", defaultValue = "native-flink,beam-flink,beam-spark",
      description = "native-flink, beam-flink, beam-spark (default ${DEFAULT-VALUE}).")
  List<String> engines;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds of the alternation (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--window", defaultValue = "PT1M", description = "revenue's window (default ${DEFAULT-VALUE}).")
  String window;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the input topics.")
  int partitions;

  @Option(names = "--bootstrapServers", description = "A running broker; default: one started on --port.")
  String bootstrapServers;

  @Option(names = "--port", defaultValue = "19510", description = "Port of the broker started by the benchmark.")
  int port;

  @Option(names = "--latencyRate", defaultValue = "200",
      description = "Events/s of the latency runs, below every engine's capacity (default ${DEFAULT-VALUE}; 0: no latency runs).")
  double latencyRate;

  @Option(names = "--latencySeconds", defaultValue = "60", description = "Length of the latency feed, s.")
  int latencySeconds;

  @Option(names = "--latencySkip", defaultValue = "0.5", description = "Fraction of the feed not measured (warm-up).")
  double latencySkip;

  @Option(names = "--latencyPipelines", split = ",", defaultValue = "completed,fraud",
      description = "Pipelines of the latency runs: completed, fraud (default ${DEFAULT-VALUE}).")
  List<String> latencyPipelines;

  @Option(names = "--smallEvents", defaultValue = "1000", description = "Events of the small job (0: none).")
  long smallEvents;

  @Option(names = "--beamArg", description = "An extra argument of the Beam runs (repeatable).")
  List<String> beamArgs = new ArrayList<>();

  @Option(names = "--nativeArg", description = "An extra argument of the native runs (repeatable), e.g. --nativeArg=--objectReuse.")
  List<String> nativeArgs = new ArrayList<>();

  @Option(names = "--jvmArg", description = "An extra JVM flag of every engine run (repeatable), e.g. a JFR recording.")
  List<String> jvmArgs = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest run, ISO-8601.")
  String timeout;

  @Option(names = "--out", description = "Output folder (default reports/bench-streaming-<date-time>).")
  Path out;

  private static final String ROOT = System.getProperty("streams.root");
  static final List<String> ENGINES = List.of("native-flink", "beam-flink", "beam-spark");
  static final List<String> PIPELINES = NativeFlinkKafka.PIPELINES;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  private Path dir;
  private Duration timeoutDuration;
  private final PrintStream say = System.out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamingBench()).execute(args));
  }

  /** One measured run. */
  public static final class Run {
    public String kind; // backlog, latency, small
    public String pipeline;
    public String engine;
    public int round;
    public int exitCode;
    public double wallSeconds;
    public long results;
    public Double spanSeconds;
    public Double eventsPerSecond;
    public Double launchToLastResultSeconds;
    /** CPU seconds of the engine process (and its descendants) between the first and the last result. */
    public Double spanCpuSeconds;
    /** CPU microseconds per backlog event within the span. */
    public Double cpuMicrosPerEvent;
    public Double totalCpuSeconds;
    public Boolean outputEqualsModel;
    public String mismatch;
    public Double p50Millis;
    public Double p95Millis;
    public Double p99Millis;
    public Integer latencySamples;
    public String log;
    public List<String> command;
  }

  private static int usage(String message) {
    System.err.println("error: " + message);
    return 2;
  }

  @Override
  public Integer call() throws Exception {
    if (!mode.equals("streaming")) {
      return usage("--mode=" + mode + " is not allowed here; allowed: streaming (scripts/bench without --mode is the batch benchmark)");
    }
    for (String p : pipelines) {
      if (!PIPELINES.contains(p)) {
        return usage("unknown pipeline '" + p + "' for --mode=streaming; allowed: " + String.join(", ", PIPELINES));
      }
    }
    for (String e : engines) {
      if (!ENGINES.contains(e)) {
        return usage("unknown engine '" + e + "'; allowed: " + String.join(", ", ENGINES));
      }
    }
    if (events < 1 || rounds < 1 || partitions < 1 || latencyRate < 0 || latencySeconds < 1 || smallEvents < 0
        || latencySkip < 0 || latencySkip >= 1
        || !List.of("completed", "fraud").containsAll(latencyPipelines)) {
      return usage("--events, --rounds, --partitions, --latencySeconds must be at least 1, --latencyRate and"
          + " --smallEvents not negative, --latencySkip in [0, 1), --latencyPipelines among completed, fraud");
    }
    try {
      timeoutDuration = Duration.parse(timeout);
      Duration.parse(window);
    } catch (DateTimeParseException e) {
      return usage("--timeout and --window are ISO-8601 durations (e.g. PT30M, PT1M), got '" + e.getParsedString() + "'");
    }
    if (ROOT == null) {
      return usage("run through scripts/bench --mode=streaming (the Beam runs go through scripts/run)");
    }
    dir = (out != null ? out
        : Paths.get("reports", "bench-streaming-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
        .toAbsolutePath();
    Files.createDirectories(dir.resolve("logs"));
    boolean ownBroker = bootstrapServers == null;
    if (ownBroker) {
      bootstrapServers = "127.0.0.1:" + port;
      script(List.of(Paths.get(ROOT, "scripts", "kafka").toString(), "start", "--port=" + port, "--dir=" + dir.resolve("kafka")), "kafka-start");
    }
    try {
      return measure();
    } finally {
      if (ownBroker) {
        script(List.of(Paths.get(ROOT, "scripts", "kafka").toString(), "stop", "--dir=" + dir.resolve("kafka")), "kafka-stop");
      }
    }
  }

  private Integer measure() throws Exception {
    long t0 = System.nanoTime();
    say.printf(Locale.ROOT, "generating %,d events (seed %d, no late events) ...%n", events, seed);
    List<String> lines = generate(events, seed);
    String backlog = "bench-backlog-" + events + "-" + seed;
    fill(backlog, lines, 0);
    long windowMillis = Duration.parse(window).toMillis();
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (String p : pipelines) {
      expected.put(p, model(p, lines, windowMillis));
    }
    List<Run> runs = new ArrayList<>();
    for (String p : pipelines) {
      for (String e : engines) {
        notRunOn(p, e).ifPresent(why -> say.println(p + ": not run on " + e + " (" + why + ")"));
      }
    }

    // Small job first: it also records each runner's class-data sharing archive (scripts/run's first run).
    if (smallEvents > 0) {
      List<String> small = generate(smallEvents, seed);
      String smallTopic = "bench-small-" + smallEvents + "-" + seed;
      fill(smallTopic, small, 0);
      List<String> smallExpected = model("completed", small, windowMillis);
      say.println("warm-up (untimed): one small run per engine");
      for (String e : engines) {
        backlogRun("completed", e, 0, smallTopic, smallExpected, "warm-up");
      }
      for (int round = 1; round <= rounds; round++) {
        for (String e : ordered(round)) {
          Run r = backlogRun("completed", e, round, smallTopic, smallExpected, "small");
          runs.add(r);
          say.printf(Locale.ROOT, "[small %d/%d] completed %-12s %5.1f s wall%s%n", round, rounds, e, r.wallSeconds, ok(r));
        }
      }
    }
    lines = null;

    for (int round = 1; round <= rounds; round++) {
      for (String p : pipelines) {
        for (String e : ordered(round)) {
          if (notRunOn(p, e).isPresent()) {
            continue;
          }
          Run r = backlogRun(p, e, round, backlog, expected.get(p), "backlog");
          runs.add(r);
          say.printf(Locale.ROOT, "[backlog %d/%d] %-9s %-12s span %s s, %s events/s, %s CPU s in the span (%s µs/event), launch→last result %s s, wall %.1f s%s%n",
              round, rounds, p, e, fmt(r.spanSeconds, "%.1f"), fmt(r.eventsPerSecond, "%,.0f"),
              fmt(r.spanCpuSeconds, "%.1f"), fmt(r.cpuMicrosPerEvent, "%.0f"),
              fmt(r.launchToLastResultSeconds, "%.1f"), r.wallSeconds, ok(r));
        }
      }
    }

    if (latencyRate > 0) {
      int latencyEvents = (int) Math.min(Integer.MAX_VALUE, Math.round(latencyRate * latencySeconds));
      List<String> feed = generate(latencyEvents, seed + 1);
      for (String p : latencyPipelines) {
        for (int round = 1; round <= rounds; round++) {
          for (String e : ordered(round)) {
            if (notRunOn(p, e).isPresent()) {
              continue;
            }
            Run r = latencyRun(p, e, round, feed);
            runs.add(r);
            say.printf(Locale.ROOT, "[latency %d/%d] %-9s %-12s at %.0f events/s: p50 %s ms, p95 %s ms, p99 %s ms (%s results)%s%n",
                round, rounds, p, e, latencyRate, fmt(r.p50Millis, "%.0f"), fmt(r.p95Millis, "%.0f"), fmt(r.p99Millis, "%.0f"),
                r.latencySamples, ok(r));
          }
        }
      }
    }

    String report = report(runs, (System.nanoTime() - t0) / 1e9);
    say.print(report);
    Files.writeString(dir.resolve("bench-streaming.md"), report, StandardCharsets.UTF_8);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench-streaming.json").toFile(), runs);
    say.println("written: " + dir.resolve("bench-streaming.md") + ", " + dir.resolve("bench-streaming.json"));
    return runs.stream().allMatch(r -> Boolean.TRUE.equals(r.outputEqualsModel)) ? 0 : 1;
  }

  private List<String> ordered(int round) {
    List<String> o = new ArrayList<>(engines);
    if (round % 2 == 0) {
      Collections.reverse(o);
    }
    return o;
  }

  private static String ok(Run r) {
    return Boolean.TRUE.equals(r.outputEqualsModel) ? ", output = model"
        : ", OUTPUT DIFFERS or run failed (exit " + r.exitCode + (r.mismatch == null ? "" : ", " + r.mismatch) + "; log " + r.log + ")";
  }

  private static List<String> generate(long n, long seed) throws IOException {
    Path tmp = Files.createTempFile("bench-streaming", ".jsonl");
    try {
      EventGenerator.builder().events(n).seed(seed).lateFraction(0).build().writeTo(tmp);
      return Files.readAllLines(tmp, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Fills the topic with the lines unless it already holds exactly them (a topic per size and seed). */
  private void fill(String topic, List<String> lines, double rate) {
    long size = Topics.size(bootstrapServers, topic);
    if (size == lines.size()) {
      say.printf(Locale.ROOT, "topic %s already holds the %,d events%n", topic, size);
      return;
    }
    if (size != 0) {
      throw new IllegalStateException("topic " + topic + " holds " + size + " records, not " + lines.size() + "; delete it or use a fresh broker");
    }
    KafkaReplay.createTopics(bootstrapServers, partitions, List.of(topic));
    KafkaReplay.Stats s = new KafkaReplay(bootstrapServers, topic).replay(lines, lines.size(), rate, say);
    say.printf(Locale.ROOT, "filled %s with %,d events in %.1f s%n", topic, s.sent, s.seconds);
    long now = Topics.size(bootstrapServers, topic);
    if (now != lines.size()) {
      // Another benchmark filled it at the same time: its runs would read every event twice.
      throw new IllegalStateException("topic " + topic + " holds " + now + " records after the fill, not " + lines.size());
    }
  }

  /**
   * Why the pipeline is not run on the engine, if it is not: what {@code scripts/run} would refuse with the
   * options the benchmark gives it ({@link RunnerLimits}; every run here is a streaming one), e.g. {@code
   * fraud} on Spark, which needs event-time timers.
   */
  Optional<String> notRunOn(String pipeline, String engine) {
    if (!engine.startsWith("beam-")) {
      return Optional.empty();
    }
    String runner = engine.substring("beam-".length());
    PipelineDescriptor<?> descriptor = Pipelines.named(pipeline);
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(beamOptions(pipeline, runner).toArray(new String[0]))
            .withoutStrictParsing() // --beamArg may hold runner options
            .as(descriptor.optionsClass);
    return RunnerLimits.refusalInStreaming(descriptor, Engines.parse(runner), options);
  }

  /** The pipeline's options of a Beam run (what follows the source and sink in its command). */
  private List<String> beamOptions(String pipeline, String runner) {
    List<String> o = new ArrayList<>();
    if (pipeline.equals("revenue")) {
      o.add("--window=" + window);
      if (runner.equals("spark")) {
        o.add("--trigger=complete"); // the mode Spark's streaming runner supports for revenue
      }
    }
    o.addAll(EngineOptionsRegistrar.keepOwn(beamArgs, Engines.parse(runner)));
    return o;
  }

  /**
   * The reference model's result lines, sorted: {@code fraud} with the pipeline's default threshold and burst
   * (what the Beam and native runs use), {@code revenue} with {@code --window}.
   */
  static List<String> model(String pipeline, List<String> lines, long windowMillis) {
    List<String> e = switch (pipeline) {
      case "completed" -> CompletedModel.expected(lines);
      case "revenue" -> RevenueModel.expected(lines, windowMillis);
      case "fraud" -> Pipelines.named("fraud").expected(lines, List.of()).orElseThrow();
      default -> throw new IllegalArgumentException("no model for " + pipeline);
    };
    List<String> sorted = new ArrayList<>(e);
    Collections.sort(sorted);
    return sorted;
  }

  /** The command of one engine run. */
  List<String> command(String pipeline, String engine, String inTopic, String outTopic, String group, boolean toEnd) {
    List<String> cmd = new ArrayList<>();
    if (engine.equals("native-flink")) {
      cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!a.startsWith("-Xmx") && !a.startsWith("-Dstreams.root")) {
          cmd.add(a);
        }
      }
      cmd.addAll(EngineJvmFlags.forEngine(Engines.FLINK, true, -1, -1, List.of())); // what scripts/run gives a Flink streaming run
      cmd.addAll(jvmArgs);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeFlinkKafka.class.getName(),
          "--pipeline=" + pipeline, "--bootstrapServers=" + bootstrapServers, "--topic=" + inTopic,
          "--outputTopic=" + outTopic, "--groupId=" + group, "--readMode=" + (toEnd ? "toEnd" : "unbounded")));
      if (pipeline.equals("revenue")) {
        cmd.add("--window=" + window);
      }
      cmd.addAll(nativeArgs);
    } else {
      String runner = engine.substring("beam-".length());
      cmd.addAll(List.of(Paths.get(ROOT, "scripts", "run").toString(), pipeline, "--runner=" + runner,
          "--source=kafka", "--bootstrapServers=" + bootstrapServers, "--topic=" + inTopic,
          "--sink=kafka", "--outputTopic=" + outTopic, "--groupId=" + group, "--startFrom=earliest"));
      if (toEnd) {
        cmd.add("--readMode=toEnd");
      }
      cmd.addAll(beamOptions(pipeline, runner));
    }
    return cmd;
  }

  private Map<String, String> childEnv() {
    Map<String, String> env = new HashMap<>();
    if (!jvmArgs.isEmpty()) {
      env.put("JAVA_OPTS", (System.getenv().getOrDefault("JAVA_OPTS", "") + " " + String.join(" ", jvmArgs)).trim());
    }
    return env;
  }

  private Run backlogRun(String pipeline, String engine, int round, String inTopic, List<String> expected, String kind)
      throws IOException, InterruptedException {
    String tag = kind + "-" + pipeline + "-" + engine + "-r" + round + "-" + System.currentTimeMillis();
    String outTopic = "out-" + tag;
    KafkaReplay.createTopics(bootstrapServers, partitions, List.of(outTopic));
    Run r = new Run();
    r.kind = kind;
    r.pipeline = pipeline;
    r.engine = engine;
    r.round = round;
    r.command = command(pipeline, engine, inTopic, outTopic, "bench-" + tag, true);
    Path log = dir.resolve("logs").resolve(tag + ".log");
    r.log = log.toString();
    long launch = System.currentTimeMillis();
    long t = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(r.command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(childEnv());
    Process p = pb.start();
    CpuSampler cpu = new CpuSampler(p);
    if (!p.waitFor(timeoutDuration.toMillis(), TimeUnit.MILLISECONDS)) {
      stop(p);
    }
    r.exitCode = p.waitFor();
    r.wallSeconds = (System.nanoTime() - t) / 1e9;
    cpu.close();
    r.totalCpuSeconds = cpu.totalCpuSeconds();
    List<Topics.Rec> results = Topics.readAll(bootstrapServers, outTopic);
    r.results = results.size();
    if (!results.isEmpty()) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Topics.Rec rec : results) {
        first = Math.min(first, rec.appendMillis);
        last = Math.max(last, rec.appendMillis);
      }
      r.spanSeconds = (last - first) / 1000.0;
      long backlogEvents = Topics.size(bootstrapServers, inTopic);
      r.eventsPerSecond = r.spanSeconds > 0 ? backlogEvents / r.spanSeconds : null;
      r.spanCpuSeconds = cpu.cpuSecondsBetween(first, last);
      r.cpuMicrosPerEvent = r.spanCpuSeconds == null ? null : r.spanCpuSeconds * 1e6 / backlogEvents;
      r.launchToLastResultSeconds = (last - launch) / 1000.0;
      if (!results.get(0).logAppendTime) {
        r.mismatch = "output topic not stamped with LogAppendTime";
      }
    }
    check(r, pipeline, results, expected);
    if (Boolean.TRUE.equals(r.outputEqualsModel)) {
      deleteTopics(outTopic); // a wrong output stays on the broker, to be looked at
    }
    return r;
  }

  /** Ends a run: its descendants (the JVM under scripts/run), then itself. */
  private static void stop(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private void deleteTopics(String... topics) {
    java.util.Properties props = new java.util.Properties();
    props.put("bootstrap.servers", bootstrapServers);
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
      admin.deleteTopics(List.of(topics)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Leaves the topic: the broker is the benchmark's own, its folder is deleted with the report's data.
    }
  }

  /** Results against the model: completed and fraud line for line; revenue the last pane per (user, window). */
  static void check(Run r, String pipeline, List<Topics.Rec> results, List<String> expected) {
    List<String> actual = new ArrayList<>();
    if (!pipeline.equals("revenue")) {
      for (Topics.Rec rec : results) {
        actual.add(rec.value);
      }
    } else {
      Map<String, Topics.Rec> last = new LinkedHashMap<>();
      for (Topics.Rec rec : results) {
        String key;
        try {
          JsonNode n = JSON.readTree(rec.value);
          key = n.path("user_id").asText() + "\u0000" + n.path("window_start").asText();
        } catch (IOException e) {
          key = "unparsable " + rec.value;
        }
        Topics.Rec seen = last.get(key);
        // A key's panes are in one partition, in order: the highest offset is the last pane.
        if (seen == null || (seen.partition == rec.partition && seen.offset < rec.offset)) {
          last.put(key, rec);
        }
      }
      for (Topics.Rec rec : last.values()) {
        actual.add(asFinalPane(rec.value));
      }
    }
    Collections.sort(actual);
    boolean equal = r.exitCode == 0 && actual.equals(expected);
    r.outputEqualsModel = equal && r.mismatch == null;
    if (!equal && r.mismatch == null) {
      List<String> extra = new ArrayList<>(actual);
      extra.removeAll(new java.util.HashSet<>(expected));
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(new java.util.HashSet<>(actual));
      r.mismatch = actual.size() + " results (after normalisation) against " + expected.size() + " in the model; "
          + missing.size() + " model lines missing, e.g. " + missing.subList(0, Math.min(2, missing.size()))
          + "; " + extra.size() + " not in the model, e.g. " + extra.subList(0, Math.min(2, extra.size()));
    }
  }

  /** A revenue pane written as the model writes it (ON_TIME, pane 0, final): count and total compared. */
  private static String asFinalPane(String value) {
    try {
      com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(value);
      n.put("timing", "ON_TIME");
      n.put("pane_index", 0);
      n.put("is_final", true);
      return JSON.writeValueAsString(n);
    } catch (IOException | ClassCastException e) {
      return value;
    }
  }

  /**
   * One pipeline at a fixed rate: the job starts on a fresh, empty topic (unbounded read), the feed starts
   * once the job has had its start-up time, results are read back with both topics' append times.
   */
  private Run latencyRun(String pipeline, String engine, int round, List<String> events) throws Exception {
    String tag = "latency-" + pipeline + "-" + engine + "-r" + round + "-" + System.currentTimeMillis();
    List<String> feed = new ArrayList<>(events);
    if (pipeline.equals("fraud")) {
      feed.addAll(closingEvents(events, partitions));
    }
    String inTopic = "in-" + tag;
    String outTopic = "out-" + tag;
    KafkaReplay.createTopics(bootstrapServers, partitions, List.of(inTopic, outTopic));
    Run r = new Run();
    r.kind = "latency";
    r.pipeline = pipeline;
    r.engine = engine;
    r.round = round;
    r.command = command(pipeline, engine, inTopic, outTopic, "bench-" + tag, false);
    Path log = dir.resolve("logs").resolve(tag + ".log");
    r.log = log.toString();
    long t = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(r.command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(childEnv());
    Process p = pb.start();
    List<String> expected = model(pipeline, feed, 1);
    // Start-up: the job has read nothing yet; what is appended meanwhile waits (measured only after the skip).
    Thread.sleep(20_000);
    new KafkaReplay(bootstrapServers, inTopic).replay(feed, feed.size(), latencyRate, say);
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long lastCount = -1;
    long lastChange = System.nanoTime();
    while (p.isAlive() && System.nanoTime() < deadline) {
      long n = Topics.size(bootstrapServers, outTopic);
      if (n >= expected.size()) {
        break;
      }
      if (n != lastCount) {
        lastCount = n;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > Duration.ofSeconds(60).toNanos()) {
        break;
      }
      Thread.sleep(1000);
    }
    stop(p);
    r.exitCode = 0; // ended by the benchmark once every result was there
    r.wallSeconds = (System.nanoTime() - t) / 1e9;
    List<Topics.Rec> in = Topics.readAll(bootstrapServers, inTopic);
    List<Topics.Rec> results = Topics.readAll(bootstrapServers, outTopic);
    r.results = results.size();
    // The event each result answers: an order (completed), a transaction (fraud's alert).
    String idField = pipeline.equals("fraud") ? "tx_id" : "order_id";
    Map<String, Long> eventAppend = new HashMap<>();
    long firstAppend = Long.MAX_VALUE;
    long lastAppend = Long.MIN_VALUE;
    for (Topics.Rec rec : in) {
      firstAppend = Math.min(firstAppend, rec.appendMillis);
      lastAppend = Math.max(lastAppend, rec.appendMillis);
    }
    long measuredFrom = firstAppend + (long) ((lastAppend - firstAppend) * latencySkip);
    for (Topics.Rec rec : in) {
      try {
        Object e = EventParser.parse(rec.value);
        if (rec.appendMillis < measuredFrom) {
          continue;
        }
        if (e instanceof Order o && pipeline.equals("completed")) {
          eventAppend.put(o.orderId(), rec.appendMillis);
        } else if (e instanceof Transaction tx && pipeline.equals("fraud")) {
          eventAppend.put(tx.txId(), rec.appendMillis);
        }
      } catch (EventParser.BadEventException ignored) {
        // a malformed line answers nothing
      }
    }
    List<Double> lat = new ArrayList<>();
    for (Topics.Rec rec : results) {
      try {
        Long a = eventAppend.get(Json.MAPPER.readTree(rec.value).path(idField).asText());
        if (a != null) {
          lat.add((double) (rec.appendMillis - a));
        }
      } catch (IOException ignored) {
        // counted as a mismatch by the check
      }
    }
    Collections.sort(lat);
    r.latencySamples = lat.size();
    if (!lat.isEmpty()) {
      r.p50Millis = percentile(lat, 50);
      r.p95Millis = percentile(lat, 95);
      r.p99Millis = percentile(lat, 99);
    }
    check(r, pipeline, results, expected);
    if (Boolean.TRUE.equals(r.outputEqualsModel)) {
      deleteTopics(inTopic, outTopic);
    }
    return r;
  }

  /**
   * One transaction per partition, an hour of event time after the last event, each of an account of its
   * own: every partition's watermark passes every burst of the feed (the native job's watermark follows
   * transactions only), so all alerts are written without ending the job. A lone transaction is no burst:
   * the model of the feed with them is the feed's.
   */
  static List<String> closingEvents(List<String> lines, int partitions) {
    long last = Long.MIN_VALUE;
    for (String l : lines) {
      try {
        last = Math.max(last, EventParser.eventTimeMillis(EventParser.parse(l)));
      } catch (EventParser.BadEventException ignored) {
        // moves no watermark
      }
    }
    String at = java.time.Instant.ofEpochMilli(last + 3_600_000L).toString();
    List<String> closing = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      closing.add("{\"type\":\"transaction\",\"tx_id\":\"t-closing-" + p + "\",\"account_id\":\"a-closing-" + p
          + "\",\"amount\":1.00,\"created_at\":\"" + at + "\"}");
    }
    return closing;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static Double median(List<Double> v) {
    if (v.isEmpty()) {
      return null;
    }
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** median (min–max) of the values, or – when there are none. */
  static String summary(List<Double> v, String format) {
    if (v.isEmpty()) {
      return "–";
    }
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    String m = String.format(Locale.ROOT, format, median(s));
    return s.size() == 1 ? m
        : m + " (" + String.format(Locale.ROOT, format, s.get(0)) + "–" + String.format(Locale.ROOT, format, s.get(s.size() - 1)) + ")";
  }

  private static String fmt(Double v, String format) {
    return v == null ? "?" : String.format(Locale.ROOT, format, v);
  }

  private static List<Run> of(List<Run> runs, String kind, String pipeline, String engine) {
    List<Run> o = new ArrayList<>();
    for (Run r : runs) {
      if (r.kind.equals(kind) && r.pipeline.equals(pipeline) && r.engine.equals(engine)) {
        o.add(r);
      }
    }
    return o;
  }

  private static List<Double> values(List<Run> rs, Function<Run, Double> f) {
    List<Double> v = new ArrayList<>();
    for (Run r : rs) {
      Double x = f.apply(r);
      if (x != null && Boolean.TRUE.equals(r.outputEqualsModel)) {
        v.add(x);
      }
    }
    return v;
  }

  /** Per round, f(num run) / f(den run), both right; summarised. */
  private String ratio(List<Run> runs, String kind, String pipeline, String num, String den, Function<Run, Double> f) {
    List<Double> v = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      Double a = null;
      Double b = null;
      for (Run r : runs) {
        if (r.kind.equals(kind) && r.pipeline.equals(pipeline) && r.round == round && Boolean.TRUE.equals(r.outputEqualsModel)) {
          if (r.engine.equals(num)) {
            a = f.apply(r);
          } else if (r.engine.equals(den)) {
            b = f.apply(r);
          }
        }
      }
      if (a != null && b != null && b > 0) {
        v.add(a / b);
      }
    }
    return summary(v, "%.2f");
  }

  String report(List<Run> runs, double seconds) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%n## scripts/bench --mode=streaming --events=%d --pipelines=%s --engines=%s --rounds=%d%s%s%n%n",
        events, String.join(",", pipelines), String.join(",", engines), rounds,
        beamArgs.isEmpty() ? "" : " " + String.join(" ", beamArgs.stream().map(a -> "--beamArg=" + a).toList()),
        nativeArgs.isEmpty() ? "" : " " + String.join(" ", nativeArgs.stream().map(a -> "--nativeArg=" + a).toList())));
    s.append(String.format(Locale.ROOT,
        "Machine: %d cores, Java %s; broker %s (%d partitions, LogAppendTime); revenue window %s; heap of every engine run %s;"
            + " Beam runs through scripts/run; %.0f s in all.%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), bootstrapServers, partitions, window,
        String.join(" ", EngineJvmFlags.forEngine(Engines.FLINK, true, -1, -1, List.of())), seconds));
    s.append("Backlog throughput: span = last result append − first result append (broker times); events/s = backlog / span;"
        + " CPU = user + system time of the engine's processes within the span (/proc, sampled every 200 ms);"
        + " median (min–max) over the rounds.\n\n");
    s.append(String.format(Locale.ROOT, "Machine load when the report was written (1-minute average): %.1f on %d cores.%n%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors()));
    s.append("| pipeline | engine | output = model | span (s) | events/s | CPU in the span (s) | CPU µs/event | launch → last result (s) | process wall (s) | process CPU (s) |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (String p : pipelines) {
      for (String e : engines) {
        List<Run> rs = of(runs, "backlog", p, e);
        if (rs.isEmpty()) {
          continue;
        }
        s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", p, e, right(rs),
            summary(values(rs, r -> r.spanSeconds), "%.1f"), summary(values(rs, r -> r.eventsPerSecond), "%,.0f"),
            summary(values(rs, r -> r.spanCpuSeconds), "%.1f"), summary(values(rs, r -> r.cpuMicrosPerEvent), "%.0f"),
            summary(values(rs, r -> r.launchToLastResultSeconds), "%.1f"), summary(values(rs, r -> r.wallSeconds), "%.1f"),
            summary(values(rs, r -> r.totalCpuSeconds), "%.1f")));
      }
    }
    StringBuilder notRun = new StringBuilder();
    for (String p : pipelines) {
      for (String e : engines) {
        notRunOn(p, e).ifPresent(why -> notRun.append(p + ": not run on " + e + " (" + why + ")\n"));
      }
    }
    if (notRun.length() > 0) {
      s.append("\n").append(notRun);
    }
    s.append("\nThroughput ratios (events/s of the Beam run ÷ events/s of the native run, round by round; goal for Flink ≥ 0.9):\n\n");
    for (String p : pipelines) {
      for (String e : List.of("beam-flink", "beam-spark")) {
        if (engines.contains(e) && engines.contains("native-flink") && notRunOn(p, e).isEmpty()) {
          s.append(String.format(Locale.ROOT, "- %s: %s / native-flink = %s×%n", p, e,
              ratio(runs, "backlog", p, e, "native-flink", r -> r.eventsPerSecond)));
        }
      }
    }
    s.append("\nCPU ratios (CPU µs/event of the Beam run ÷ that of the native run, round by round: what the Beam job needs, whatever"
        + " share of a busy machine it got; 1/x is the throughput ratio on an otherwise idle machine if CPU is the limit):\n\n");
    for (String p : pipelines) {
      for (String e : List.of("beam-flink", "beam-spark")) {
        if (engines.contains(e) && engines.contains("native-flink") && notRunOn(p, e).isEmpty()) {
          s.append(String.format(Locale.ROOT, "- %s: %s / native-flink = %s×%n", p, e,
              ratio(runs, "backlog", p, e, "native-flink", r -> r.cpuMicrosPerEvent)));
        }
      }
    }
    for (String lp : latencyPipelines) {
      if (runs.stream().noneMatch(r -> r.kind.equals("latency") && r.pipeline.equals(lp))) {
        continue;
      }
      s.append(String.format(Locale.ROOT, "%nLatency of %s at %.0f events/s for %d s (result append − append of the %s it"
          + " answers, events appended after the first %.0f%% of the feed), median over the rounds of each percentile:%n%n",
          lp, latencyRate, latencySeconds, lp.equals("fraud") ? "transaction" : "order", latencySkip * 100));
      s.append("| engine | output = model | p50 (ms) | p95 (ms) | p99 (ms) | results measured |\n| --- | --- | --- | --- | --- | --- |\n");
      for (String e : engines) {
        List<Run> rs = of(runs, "latency", lp, e);
        if (rs.isEmpty()) {
          continue;
        }
        s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", e, right(rs),
            summary(values(rs, r -> r.p50Millis), "%.0f"), summary(values(rs, r -> r.p95Millis), "%.0f"),
            summary(values(rs, r -> r.p99Millis), "%.0f"),
            summary(values(rs, r -> r.latencySamples == null ? null : r.latencySamples.doubleValue()), "%.0f")));
      }
      s.append("\n");
      for (String e : List.of("beam-flink", "beam-spark")) {
        if (engines.contains(e) && engines.contains("native-flink") && notRunOn(lp, e).isEmpty()) {
          s.append(String.format(Locale.ROOT, "- %s: p99 %s / native-flink = %s× (goal for Flink ≤ 1.5)%n", lp, e,
              ratio(runs, "latency", lp, e, "native-flink", r -> r.p99Millis)));
        }
      }
    }
    if (runs.stream().anyMatch(r -> r.kind.equals("small"))) {
      s.append(String.format(Locale.ROOT, "%nSmall job: completed over %d events, process wall from launch to exit (goal ≤ 5 s):%n%n", smallEvents));
      s.append("| engine | output = model | wall (s) | launch → last result (s) |\n| --- | --- | --- | --- |\n");
      for (String e : engines) {
        List<Run> rs = of(runs, "small", "completed", e);
        if (!rs.isEmpty()) {
          s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", e, right(rs), summary(values(rs, r -> r.wallSeconds), "%.1f"),
              summary(values(rs, r -> r.launchToLastResultSeconds), "%.1f")));
        }
      }
    }
    s.append(String.format(Locale.ROOT, "%nRuns and logs: %s%n", dir));
    return s.toString();
  }

  private static String right(List<Run> rs) {
    long good = rs.stream().filter(r -> Boolean.TRUE.equals(r.outputEqualsModel)).count();
    return good == rs.size() ? "yes" : "**" + good + " of " + rs.size() + "**";
  }

  private void script(List<String> cmd, String name) throws IOException, InterruptedException {
    Path log = dir.resolve("logs").resolve(name + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log));
    }
  }
}
