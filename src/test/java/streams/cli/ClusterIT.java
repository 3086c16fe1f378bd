package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.harness.Correctness;
import streams.io.KafkaBroker;
import streams.io.OutputDirs;
import streams.model.Json;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.Pipelines;
import streams.testing.OutputFiles;
import streams.testing.Scripts;
import streams.testing.Scripts.Result;

/**
 * Every pipeline of {@link Pipelines} on a Flink session cluster (a JobManager and one TaskManager of 2
 * slots) and on a Spark standalone cluster (a master and one worker of 2 cores), each started once by
 * {@code scripts/cluster} and given its jobs by {@code scripts/run} with the project's fat jar:
 *
 * <ul>
 *   <li>batch: a JSON Lines file in, files out; the results and dead letters equal the pipeline's model;
 *   <li>streaming: the same events on a topic of the project's Kafka broker (2 partitions), read to the
 *       topic's end ({@code --readMode=toEnd}), files out; equal to the model. A pipeline the runner
 *       refuses in streaming ({@code RunnerLimits}: event-time timers on Spark) must be refused at start-up
 *       with one {@code error:} line, no stack trace, exit code 2: that is its pass. {@code revenue} on
 *       Spark streaming runs in {@code --trigger=complete} (the mode the command line allows there): the
 *       last pane of each window holds the model's count and total.
 *   <li>a Spark application that fails on the cluster ends the command line with exit code 1 and a
 *       one-line cause, in bounded time;
 *   <li>{@code stop} leaves no process of the cluster behind.
 * </ul>
 *
 * The cases run Flink's first, then Spark's; a cluster starts before its engine's first case, Flink's is
 * stopped before Spark's starts (five JVMs at a time at most). Not in the default suite: {@code
 * scripts/test-cluster} ({@code -Dcluster.it.only=REGEX} runs the cases whose name matches, e.g. {@code
 * "spark fraud"}). Ports 18181/18182 (Flink) and 17177, 18180, 18190 (Spark), apart from
 * scripts/cluster's defaults so that a user's own cluster is left alone; the broker takes a free port.
 */
class ClusterIT {
  @TempDir static Path TMP;
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  private static final Path ROOT = Paths.get("").toAbsolutePath();
  private static final int FLINK_PORT = 18181;
  private static final int SPARK_PORT = 17177;
  private static final int SPARK_UI_PORT = 18180;
  private static final String FLINK_MASTER = "--flinkMaster=127.0.0.1:" + FLINK_PORT;
  private static final String SPARK_MASTER = "--sparkMaster=spark://127.0.0.1:" + SPARK_PORT;
  private static final String TOPIC = "cluster-events";
  private static final int PARTITIONS = 2;
  private static Path input;
  private static List<String> lines;
  /** The engine whose cluster runs ("flink" or "spark"), null when none; its pids as status listed them. */
  private static String running;
  private static List<Long> runningPids = List.of();

  /** One case: a pipeline on an engine in a mode, or the failing Spark application. */
  private enum Mode {
    BATCH,
    STREAMING,
    FAILING_APPLICATION,
    FAILING_STREAMING_APPLICATION
  }

  static Collection<Object[]> cases() {
    List<Object[]> cases = new ArrayList<>();
    for (String engine : List.of("flink", "spark")) {
      for (Mode mode : List.of(Mode.BATCH, Mode.STREAMING)) {
        for (PipelineDescriptor<?> p : Pipelines.all()) {
          cases.add(new Object[] {engine, p.name, mode});
        }
      }
    }
    cases.add(new Object[] {"spark", "revenue", Mode.FAILING_APPLICATION});
    cases.add(new Object[] {"spark", "completed", Mode.FAILING_STREAMING_APPLICATION});
    // -Dcluster.it.only=REGEX: the cases whose name ("spark fraud BATCH") matches, e.g. to run one again.
    String only = System.getProperty("cluster.it.only", "");
    if (!only.isEmpty()) {
      cases.removeIf(c -> !Pattern.compile(only).matcher(c[0] + " " + c[1] + " " + c[2]).find());
    }
    return cases;
  }

  private String engine;
  private PipelineDescriptor<?> pipeline;
  private Mode mode;

  @BeforeAll
  static void generate() throws Exception {
    assertTrue(
        Files.isRegularFile(ROOT.resolve("target/portable-streams.jar")),
        "target/portable-streams.jar is missing: run scripts/test-cluster");
    input = TMP.resolve("events.jsonl");
    // No late event, so that streaming and batch have the same answer; 1% malformed for the dead letters.
    EventGenerator.builder().events(2_000).seed(11).disorderMillis(2_000).lateFraction(0).badFraction(0.01).build()
        .writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    BROKER.createTopic(TOPIC, PARTITIONS, Map.of());
    BROKER.produceRoundRobin(TOPIC, PARTITIONS, lines);
  }

  @AfterAll
  static void stopTheLastCluster() throws Exception {
    stopCluster();
  }

  // ---------------------------------------------------------------- the cases

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void run(String engine, String pipeline, Mode mode) throws Exception {
    this.engine = engine;
    this.pipeline = Pipelines.named(pipeline);
    this.mode = mode;
    ensureCluster(engine);
    switch (mode) {
      case BATCH:
        batch();
        break;
      case STREAMING:
        streaming();
        break;
      default:
        failingSparkApplication(mode == Mode.FAILING_STREAMING_APPLICATION);
    }
  }

  /** Pipeline-specific options of the runs (and of the model). */
  private List<String> pipelineArgs() {
    if (pipeline.name.equals("revenue")) {
      // Spark streaming runs revenue in the complete mode only (RunnerLimits).
      return engine.equals("spark") && mode == Mode.STREAMING
          ? List.of("--window=PT10M", "--trigger=complete")
          : List.of("--window=PT10M");
    }
    return List.of();
  }

  private List<String> command(Path out) {
    List<String> c = new ArrayList<>(List.of("scripts/run", pipeline.name, "--runner=" + engine));
    c.add(engine.equals("flink") ? FLINK_MASTER : SPARK_MASTER);
    c.add("--output=" + out);
    c.addAll(pipelineArgs());
    return c;
  }

  /** The streaming runs' source: the 2-partition topic from its start, read to its end. */
  private static List<String> kafkaSourceArgs() {
    return List.of(
        "--source=kafka", "--bootstrapServers=" + BROKER.bootstrapServers(), "--topic=" + TOPIC,
        "--startFrom=earliest", "--readMode=toEnd");
  }

  private void batch() throws Exception {
    Path out = TMP.resolve(pipeline.name + "-" + engine + "-batch");
    List<String> c = command(out);
    c.add("--input=" + input);
    Result run = script(300, List.of(), c);
    assertEquals(0, run.code, run.output);
    assertThat(run.output, containsString(pipeline.name + " on " + engine + ": DONE"));
    assertEqualsModel(out);
    if (engine.equals("flink")) {
      // Run by the cluster's resident client (scripts/cluster started it in this working directory).
      java.util.regex.Matcher log = java.util.regex.Pattern.compile("engine log: (\\S+)").matcher(run.output);
      assertTrue(log.find(), run.output);
      assertThat(Files.readString(Path.of(log.group(1))), containsString("[client-command] streams.cli.PipelineCommand"));
    }
  }

  private void streaming() throws Exception {
    Path out = TMP.resolve(pipeline.name + "-" + engine + "-streaming");
    List<String> c = command(out);
    c.addAll(kafkaSourceArgs());
    c.addAll(List.of("--maxOutOfOrderness=PT5S", "--stopAfter=PT4M"));
    long t0 = System.nanoTime();
    Result run = script(360, List.of(), c);
    double seconds = (System.nanoTime() - t0) / 1e9;
    // Refused as the command line refuses it, with this run's options (revenue with --trigger=complete runs).
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(pipelineArgs().toArray(new String[0])).as(pipeline.optionsClass);
    if (engine.equals("spark") && pipeline.needs(PipelineDescriptor.Requirement.EVENT_TIME_TIMERS, options)) {
      List<String> errors =
          Arrays.stream(run.output.split("\\R")).filter(l -> l.startsWith("error: ")).collect(Collectors.toList());
      assertEquals(2, run.code, run.output);
      assertEquals(1, errors.size(), run.output);
      assertThat(errors.get(0), containsString(pipeline.name + " needs event-time timers"));
      assertThat(run.output, not(containsString("Exception")));
      assertThat(run.output, not(containsString("\tat ")));
      assertFalse(Files.exists(out) && !OutputFiles.jsonLines(out).isEmpty(), "nothing submitted, nothing written");
      System.out.printf(Locale.ROOT, "%s streaming on spark: refused in %.1f s: %s%n", pipeline.name, seconds, errors.get(0));
      return;
    }
    assertEquals(0, run.code, run.output);
    assertThat(run.output, containsString(pipeline.name + " on " + engine + ": DONE, " + lines.size() + " events in"));
    System.out.printf(Locale.ROOT, "%s streaming on %s: %.1f s%n", pipeline.name, engine, seconds);
    if (pipeline.name.equals("revenue") && engine.equals("spark")) {
      assertLastPanesEqualModel(out);
    } else {
      assertEqualsModel(out);
    }
  }

  /**
   * An application that fails on the cluster: every executor dies at start (a Java agent that does not
   * exist). The master launches executors again and again without ever removing the application (it counts
   * failures from zero each time one is launched), so the driver's watch ends the run once no executor has
   * registered within --sparkExecutorTimeout: exit 1, one line naming the cause.
   */
  private void failingSparkApplication(boolean streaming) throws Exception {
    Path out = TMP.resolve("failing-spark-application" + (streaming ? "-streaming" : ""));
    List<String> c = command(out);
    if (streaming) {
      c.addAll(kafkaSourceArgs());
    } else {
      c.add("--input=" + input);
    }
    long t0 = System.nanoTime();
    c.add("--sparkExecutorTimeout=PT45S");
    Result failed =
        script(300, List.of("JAVA_OPTS=-Dspark.executor.extraJavaOptions=-javaagent:/nonexistent/no-such-agent.jar"), c);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "failed Spark application: exit %d after %.1f s%n", failed.code, seconds);
    assertEquals(1, failed.code, failed.output);
    assertThat(failed.output, containsString("error: " + pipeline.name + " failed on spark: "));
    assertThat(failed.output, containsString("registered within 45 s"));
    assertEquals(1, failed.output.lines().filter(l -> l.startsWith("error: ")).count(), failed.output);
    assertThat(failed.output, not(containsString("\tat ")));
    assertTrue(seconds < 180, "exits within 3 minutes: " + seconds);
  }

  private List<String> expected() {
    List<String> e = new ArrayList<>(pipeline.expected(lines, pipelineArgs()).orElseThrow());
    e.sort(null);
    // 2 000 events: revenue 843 results, completed 740, join 58, fraud 7.
    assertTrue(e.size() >= 5, "the model of " + pipeline.name + " must produce results");
    return e;
  }

  private void assertEqualsModel(Path out) throws IOException {
    Correctness.Verdict v =
        Correctness.check(pipeline.name, expected(), pipeline.resultKey, Pipelines.deadLetters(lines), out);
    assertTrue(
        v.equal,
        String.format(Locale.ROOT, "%s on %s %s: %d results of %d expected, %d missing, %d unexpected, %d different,"
                + " dead letters %d of %d; %s", pipeline.name, engine, mode, v.actualResults, v.expectedResults,
            v.missing, v.unexpected, v.different, v.actualDeadLetters, v.expectedDeadLetters, v.examples));
  }

  /** Complete mode: each pane carries its window's total so far; the last one per window is the model's. */
  private void assertLastPanesEqualModel(Path out) throws IOException {
    Map<String, JsonNode> model = new TreeMap<>();
    for (String line : expected()) {
      JsonNode n = Json.MAPPER.readTree(line);
      model.put(n.get("user_id").asText() + "|" + n.get("window_start").asText(), n);
    }
    Map<String, JsonNode> last = new TreeMap<>();
    for (String line : OutputFiles.jsonLines(out)) {
      JsonNode n = Json.MAPPER.readTree(line);
      last.merge(
          n.get("user_id").asText() + "|" + n.get("window_start").asText(),
          n,
          (a, b) -> a.get("pane_index").asLong() >= b.get("pane_index").asLong() ? a : b);
    }
    assertEquals(model.keySet(), last.keySet(), "windows with results");
    for (Map.Entry<String, JsonNode> e : model.entrySet()) {
      JsonNode pane = last.get(e.getKey());
      assertEquals(e.getValue().get("order_count").asLong(), pane.get("order_count").asLong(), e.getKey());
      assertEquals(
          0,
          new BigDecimal(e.getValue().get("total_amount").asText()).compareTo(new BigDecimal(pane.get("total_amount").asText())),
          e.getKey());
    }
    assertEquals(
        Pipelines.deadLetters(lines), OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR)).size());
  }

  // ---------------------------------------------------------------- the clusters

  private static Path dir(String engine) {
    return ROOT.resolve("target/cluster-it/" + engine);
  }

  /** Starts the engine's cluster unless it runs; stops the other engine's first. */
  private static void ensureCluster(String engine) throws Exception {
    if (engine.equals(running)) {
      return;
    }
    stopCluster();
    String dirArg = "--dir=" + dir(engine);
    running = engine;
    boolean flink = engine.equals("flink");
    List<String> start = new ArrayList<>(List.of("scripts/cluster", engine, "start", "--slots=2"));
    start.addAll(
        flink
            ? List.of("--taskmanagers=1", "--port=" + FLINK_PORT)
            : List.of("--port=" + SPARK_PORT, "--webui-port=" + SPARK_UI_PORT));
    start.add(dirArg);
    Result started = script(180, List.of(), start);
    assertEquals(0, started.code, started.output);
    Result status = script(30, List.of(), List.of("scripts/cluster", engine, "status", dirArg));
    assertEquals(0, status.code, status.output);
    assertThat(
        status.output,
        containsString(flink ? "web UI and REST: http://127.0.0.1:" + FLINK_PORT : "web UI http://127.0.0.1:" + SPARK_UI_PORT));
    assertThat(status.output, containsString(flink ? "taskmanagers: 1, slots: 2" : "workers alive: 1, cores: 2"));
    runningPids = pids(status.output);
    assertEquals(
        flink ? 3 : 2, runningPids.size(), "status lists the processes (Flink: and its resident client): " + runningPids);
  }

  /** Stops the running cluster, if any: exit 0, and no process of it is left. */
  private static void stopCluster() throws Exception {
    if (running == null) {
      return;
    }
    String engine = running;
    List<Long> pids = runningPids;
    running = null;
    runningPids = List.of();
    Result stop = script(120, List.of(), List.of("scripts/cluster", engine, "stop", "--dir=" + dir(engine)));
    assertEquals(0, stop.code, stop.output);
    for (long pid : pids) {
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still alive after stop");
    }
    assertEquals(List.of(), processesUsing(dir(engine)), "processes of " + dir(engine) + " after stop");
  }

  /** The pids in a "name (pid N)" list printed by scripts/cluster status. */
  private static List<Long> pids(String statusOutput) {
    List<Long> pids = new ArrayList<>();
    Matcher m = Pattern.compile("\\(pid (\\d+)\\)").matcher(statusOutput);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  /** Pids of live processes whose command line mentions the cluster directory. */
  private static List<Long> processesUsing(Path dir) throws IOException {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.matches("\\d+")) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains(dir.toString() + "/")) {
            found.add(Long.parseLong(name));
          }
        } catch (IOException e) {
          // The process ended meanwhile.
        }
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- scripts

  /** Runs a project script (class-data sharing off); returns exit code and the merged stdout/stderr. */
  private static Result script(long timeoutSeconds, List<String> env, List<String> command) throws Exception {
    Map<String, String> vars = new java.util.HashMap<>();
    vars.put("PORTABLE_STREAMS_CDS", "off");
    for (String kv : env) {
      vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return Scripts.run(timeoutSeconds, vars, command);
  }
}
