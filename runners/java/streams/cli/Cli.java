package streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;
import streams.generate.EventGenerator;
import streams.io.KafkaSourceConfig;
import streams.io.OutputDirs;
import streams.io.ReadEnd;
import streams.io.SinkConfig;
import streams.pipelines.StreamsOptions;
import streams.transforms.Durations;
import streams.transforms.ParseEvents;

/**
 * The runner switch: {@code scripts/run <pipeline> [--runner=direct|flink|spark] [Beam and pipeline
 * options]}. Options are parsed by Beam's {@code PipelineOptionsFactory}, so every runner option works as
 * documented. Mistakes give one line on stderr and exit code 2; a failed job exits 1.
 */
public final class Cli {
  static {
    PipelineOptionsFactory.register(RunOptions.class);
    PipelineOptionsFactory.register(Recovery.Options.class);
  }

  private Cli() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(Arrays.asList(args), System.out);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("Run scripts/run --help for pipelines and options.");
      code = 2;
    } catch (JobFailedException e) {
      System.err.println("error: " + e.getMessage());
      code = 1;
    }
    System.out.flush();
    haltAfter(java.time.Duration.ofSeconds(30), code);
    // Engines leave non-daemon threads behind after the job ends: exit explicitly.
    System.exit(code);
  }

  /**
   * Halts the JVM if the shutdown hooks have not finished within the grace period. When the master of a
   * Spark cluster removes a failed application, Spark stops its context on one thread while its shutdown
   * hook waits for that stop on another, and System.exit never returned (measured: the command line hung
   * until killed, after printing the failure).
   */
  private static void haltAfter(java.time.Duration grace, int code) {
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(grace.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.err.println("note: the engine did not shut down within " + grace.toSeconds() + " s; halting");
              Runtime.getRuntime().halt(code);
            },
            "halt-if-shutdown-hangs");
    halt.setDaemon(true);
    halt.start();
  }

  static int run(List<String> args, PrintStream out) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      printUsage(out);
      return 0;
    }
    if (args.get(0).equals("generate")) {
      return GenerateCommand.run(args.subList(1, args.size()), out);
    }
    if (args.get(0).equals("query")) {
      return QueryCommand.run(args.subList(1, args.size()), out);
    }
    if (args.get(0).equals("compare")) {
      return CompareCommand.run(args.subList(1, args.size()), out);
    }
    String name = args.get(0);
    PipelineCatalog.Entry<?> entry = PipelineCatalog.PIPELINES.get(name);
    if (entry == null) {
      throw new UsageException(
          "unknown pipeline '" + name + "'; allowed: " + String.join(", ", PipelineCatalog.PIPELINES.keySet()));
    }
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    if (rest.contains("--help") || rest.contains("-h")) {
      out.println("scripts/run " + name + ": " + entry.summary);
      PipelineOptionsFactory.printHelp(out, entry.optionsClass);
      PipelineOptionsFactory.printHelp(out, RunOptions.class);
      PipelineOptionsFactory.printHelp(out, Recovery.Options.class);
      return 0;
    }
    Engines engine = Engines.fromArgs(rest);
    StreamsOptions options = parseOptions(Engines.normalise(rest, engine), entry.optionsClass);
    FileSystems.setDefaultPipelineOptions(options);
    boolean fromKafka = "kafka".equalsIgnoreCase(String.valueOf(options.getSource()).trim());
    boolean toKafka = "kafka".equalsIgnoreCase(String.valueOf(options.getSink()).trim());
    if (fromKafka) {
      if (options.getInput() != null) {
        throw new UsageException("--input is for --source=file; --source=kafka reads --topic");
      }
    } else if (options.getInput() == null) {
      options.setInput(generatedInput(options.getEvents(), options.getSeed(), out).toString());
    } else {
      requireInputExists(options.getInput());
    }
    if (fromKafka && options.getGroupId() == null) {
      options.setGroupId(KafkaSourceConfig.defaultGroupId(name, KafkaSourceConfig.topicsOf(options)));
    }
    if (options.getOutput() == null && !toKafka) {
      options.setOutput(Paths.get("output", name + "-" + engine).toAbsolutePath().toString());
    }
    options.setJobName(name + "-" + engine + "-" + System.currentTimeMillis());
    RunOptions run = options.as(RunOptions.class);
    Duration stopAfter = optionalDuration("stopAfter", run.getStopAfter());
    Duration stopWhenIdle = optionalDuration("stopWhenIdle", run.getStopWhenIdle());
    boolean unboundedKafka =
        fromKafka && !"bounded".equalsIgnoreCase(String.valueOf(options.getReadMode()).trim());
    boolean streaming = options.as(StreamingOptions.class).isStreaming() || unboundedKafka;
    boolean drain = parseStop(run.getStop());
    Duration drainTimeout = Durations.parsePositive("drainTimeout", run.getDrainTimeout());
    Path drainSignal = null;
    if (streaming && fromKafka && drain) {
      if (options.getDrainSignal() == null || options.getDrainSignal().isBlank()) {
        options.setDrainSignal(
            Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams-drain-" + options.getJobName())
                .toString());
      }
      drainSignal = Paths.get(options.getDrainSignal());
      try {
        Files.deleteIfExists(drainSignal);
      } catch (IOException e) {
        throw new UsageException("cannot clear --drainSignal=" + drainSignal + ": " + e.getMessage());
      }
    }
    if (streaming) {
      engine.configureStreaming(options, rest);
      if (unboundedKafka) {
        engine.configureKafkaSource(options, rest);
      }
    } else if (stopAfter != null || stopWhenIdle != null) {
      throw new UsageException(
          "--stopAfter and --stopWhenIdle end streaming jobs; this run is a batch job (add --streaming or"
              + " --source=kafka)");
    }
    Recovery.configure(engine, name, options.getGroupId(), streaming, options, rest, out);

    Pipeline pipeline = Pipeline.create(options);
    try {
      entry.build(pipeline, options);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    RunnerLimits.check(entry, engine, pipeline);
    KafkaDelivery.refusal(engine, options).ifPresent(why -> {
      throw new UsageException(why);
    });
    if (options.getOutput() != null && !toKafka) {
      try {
        OutputDirs.prepare(options.getOutput(), fromKafka ? List.of() : inputFiles(options.getInput()), options.getArchive());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }

    String source = options.getInput();
    if (fromKafka) {
      KafkaSourceConfig kafka = KafkaSourceConfig.from(options);
      source =
          "kafka " + options.getBootstrapServers() + " " + kafka.topics() + " as group " + kafka.groupId()
              + ", from " + kafka.startFrom().name().toLowerCase(Locale.ROOT);
    }
    out.printf(Locale.ROOT, "%s on %s: reading %s%s%n", name, engine, source, streaming ? " (streaming)" : "");
    if (toKafka) {
      out.println("delivery: " + KafkaDelivery.describe(engine, options));
    }
    MetricsEndpoint metrics = MetricsEndpoint.open(name, engine, options, out);
    long start = System.nanoTime();
    PipelineResult result;
    Map<String, Long> counters;
    String ending = "";
    PipelineResult.State state = null;
    try {
      if (streaming) {
        result = JobControl.start(pipeline, Duration.standardMinutes(2));
        metrics.watch(result);
        Thread cancelOnExit = new Thread(() -> cancelQuietly(result), "cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        Interrupts interrupts = Interrupts.install(drainSignal != null);
        JobControl.Ending end;
        Map<String, Long> seen;
        try (Progress progress = progressOf(result, options, fromKafka, toKafka)) {
          end =
              JobControl.await(
                  result, stopAfter, stopWhenIdle, progress, out, interrupts::requested, engine.drainSettle(options));
          if (end == JobControl.Ending.SPARK_INPUT_ENDED) {
            state = PipelineResult.State.DONE;
          } else if (end != JobControl.Ending.FINISHED) {
            String why =
                end == JobControl.Ending.STOPPED_WHEN_IDLE
                    ? "idle for " + stopWhenIdle
                    : end == JobControl.Ending.INTERRUPTED ? "interrupted" : "after " + stopAfter;
            if (drainSignal != null) {
              out.println("draining (" + why + "): the sources finish at what the topics hold, open windows"
                  + " and buffers emit their results ...");
              Path signal = drainSignal;
              List<String> topics = KafkaSourceConfig.from(options).topics();
              Runnable request =
                  () -> {
                    try {
                      ReadEnd.requestDrain(signal, options.getBootstrapServers(), topics);
                    } catch (IOException e) {
                      throw new IllegalStateException(
                          "cannot write the drain signal " + signal + ": " + e.getMessage(), e);
                    }
                  };
              if (JobControl.drain(result, request, drainTimeout, engine.drainSettle(options), progress)) {
                ending = " (drained: " + why + ")";
                state = PipelineResult.State.DONE;
              } else {
                ending = " (" + why + "; not drained within " + drainTimeout + ": cancelled, open state lost)";
                JobControl.cancel(result, Duration.standardMinutes(1));
                state = PipelineResult.State.CANCELLED;
              }
            } else {
              ending = " (stopped " + why + ": cancelled)";
              JobControl.cancel(result, Duration.standardMinutes(1));
              state = PipelineResult.State.CANCELLED;
            }
          }
          seen = progress.lastCounters();
        }
        counters = counters(result);
        if (counters.isEmpty()) {
          // A detached Flink job no longer answers once it has ended: its last counters seen while it ran.
          counters = seen;
        }
        interrupts.close();
        Runtime.getRuntime().removeShutdownHook(cancelOnExit);
      } else {
        result = pipeline.run();
        metrics.watch(result);
        result.waitUntilFinish();
        counters = counters(result);
      }
    } catch (RuntimeException e) {
      metrics.close();
      throw new JobFailedException(name + " failed on " + engine + ": " + rootCause(e));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (state == null) {
      state = stateOf(result);
    }
    String counts =
        counters.isEmpty()
            ? "no counts (the runner reports no metrics for this job)"
            : String.format(
                Locale.ROOT,
                "%d events in, %d results out, %d dead letters, %d late",
                counters.getOrDefault("events_in", 0L),
                counters.getOrDefault("results_out", 0L),
                counters.getOrDefault("dead_letters", 0L),
                counters.getOrDefault("late_dropped", 0L));
    out.printf(Locale.ROOT, "%s on %s: %s%s, %s, %.1f s%n", name, engine, state, ending, counts, seconds);
    if (toKafka) {
      SinkConfig sink = SinkConfig.from(options, options.getOutput());
      out.println("results: kafka topic " + sink.outputTopic());
      out.println("dead letters: kafka topic " + sink.deadLetterTopic());
    } else {
      String ext = "parquet".equalsIgnoreCase(String.valueOf(options.getSink()).trim()) ? "parquet" : "jsonl";
      out.println("results: " + options.getOutput() + " (*." + ext + ")");
      out.println("dead letters: " + OutputDirs.deadLetterDir(options.getOutput()) + " (*." + ext + ")");
    }
    if (drainSignal != null) {
      try {
        Files.deleteIfExists(drainSignal);
      } catch (IOException e) {
        // A leftover empty file in the temporary folder; the next run of this job name clears it.
      }
    }
    Recovery.afterRun(engine, name, options.getGroupId(), options, state);
    metrics.close();
    return state == PipelineResult.State.DONE || !ending.isEmpty() ? 0 : 1;
  }

  private static Progress progressOf(
      PipelineResult result, StreamsOptions options, boolean fromKafka, boolean toKafka) {
    List<String> in = fromKafka ? KafkaSourceConfig.from(options).topics() : List.of();
    List<String> outTopics = List.of();
    if (toKafka) {
      SinkConfig sink = SinkConfig.from(options, options.getOutput());
      outTopics = List.of(sink.outputTopic(), sink.deadLetterTopic());
    }
    return new Progress(
        result, options.getBootstrapServers(), in, outTopics, toKafka ? null : options.getOutput());
  }

  private static PipelineResult.State stateOf(PipelineResult result) {
    FlinkJobs flink = JobControl.flinkJob(result);
    if (flink != null && flink.endState() != null) {
      return flink.endState();
    }
    try {
      return result.getState();
    } catch (RuntimeException e) {
      return PipelineResult.State.UNKNOWN;
    }
  }

  private static void cancelQuietly(PipelineResult result) {
    try {
      JobControl.cancel(result, Duration.standardSeconds(20));
    } catch (RuntimeException e) {
      // The process is ending anyway.
    }
  }

  /** {@code --stop}: true for drain, false for cancel. */
  static boolean parseStop(String value) {
    String v = value == null ? "drain" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "drain":
        return true;
      case "cancel":
        return false;
      default:
        throw new UsageException("--stop=" + value + " is not a way to stop; allowed: drain, cancel");
    }
  }

  private static Duration optionalDuration(String flag, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Durations.parsePositive(flag, value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static <O extends StreamsOptions> O parseOptions(List<String> args, Class<O> optionsClass) {
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new UsageException(
            "unexpected argument '" + a + "'; options look like --name=value (scripts/run --help)");
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
          .withValidation()
          .as(optionsClass);
    } catch (IllegalArgumentException e) {
      throw new UsageException(describeOptionError(e.getMessage()));
    }
  }

  /** Turns Beam's option errors into one line naming the flag. */
  static String describeOptionError(String message) {
    String m = message == null ? "invalid option" : message;
    String marker = "missing a property named '";
    int i = m.indexOf(marker);
    if (i >= 0) {
      String flag = m.substring(i + marker.length(), m.indexOf('\'', i + marker.length()));
      return "unknown option --" + flag + " (scripts/run <pipeline> --help lists the options)";
    }
    return m.split("\n")[0];
  }

  /** The local files an input pattern matches (for the output folder's checks). */
  private static List<Path> inputFiles(String input) {
    List<Path> files = new ArrayList<>();
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : match.metadata()) {
          if (m.resourceId().getScheme().equals("file")) {
            files.add(Paths.get(m.resourceId().toString()));
          }
        }
      }
    } catch (IOException e) {
      throw new UsageException("--input=" + input + " cannot be read: " + e.getMessage());
    }
    return files;
  }

  private static void requireInputExists(String input) {
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new UsageException("--input=" + input + " matches no file");
      }
    } catch (IOException e) {
      throw new UsageException("--input=" + input + " cannot be read: " + e.getMessage());
    }
  }

  /** Generated events, cached by size and seed under the temp folder (the generator is deterministic). */
  static Path generatedInput(long events, long seed, PrintStream out) {
    Path file =
        Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams", "events-" + events + "-seed" + seed + ".jsonl");
    if (Files.exists(file)) {
      return file;
    }
    out.printf(Locale.ROOT, "no --input: generating %d events (seed %d) into %s%n", events, seed, file);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "events", ".tmp");
      EventGenerator.builder().events(events).seed(seed).build().writeTo(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UsageException("cannot write generated input " + file + ": " + e.getMessage());
    }
    return file;
  }

  private static volatile boolean metricsWarned;

  static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> values = new TreeMap<>();
    try {
      FlinkJobs flink = JobControl.flinkJob(result);
      MetricResults all = flink == null ? result.metrics() : flink.metrics();
      if (all == null) {
        return values;
      }
      MetricQueryResults metrics =
          all.queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(ParseEvents.METRICS_NAMESPACE))
                      .build());
      for (MetricResult<Long> c : metrics.getCounters()) {
        values.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (RuntimeException e) {
      // A runner without metrics, or a job already torn down: the summary shows zeros.
      if (!metricsWarned) {
        metricsWarned = true;
        System.err.println("note: the runner gives no metrics here (" + rootCause(e) + "); counts show 0");
      }
    }
    return values;
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static void printUsage(PrintStream out) {
    out.println("Usage: scripts/run <pipeline> [--runner=direct|flink|spark] [options]");
    out.println("       scripts/generate --events=N --seed=S --out=FILE [--disorder=PT5S] [--late-fraction=F]");
    out.println("       scripts/generate --to-kafka --bootstrapServers=H:P [--topic=events] [--rate=EVENTS_PER_S]");
    out.println("       scripts/query DIR [--where field=value]... [--limit=N] [--runner=direct|flink|spark]");
    out.println("       scripts/compare [--pipelines=...] [--runners=...] [--events=N] [--repeat=3] [--out=DIR]");
    out.println();
    out.println("Pipelines:");
    PipelineCatalog.PIPELINES.values()
        .forEach(e -> out.printf(Locale.ROOT, "  %-10s %s%n", e.name, e.summary));
    out.println();
    out.println("Common options:");
    out.println("  --runner=NAME        " + Engines.ALLOWED + "; default flink (embedded)");
    out.println("  --input=PATH         JSON Lines file or glob (batch); default: --events generated events");
    out.println("  --output=DIR         results in DIR/results-*.jsonl, dead letters in DIR/dead-letter/");
    out.println("                       (a new, empty or earlier output folder: files the project did not write are never deleted)");
    out.println("  --events=N --seed=S  size and seed of the generated input (default 100000, 42)");
    out.println("  --source=kafka --bootstrapServers=H:P --topic=T [--maxOutOfOrderness=PT5S] [--idleTimeout=PT10S]");
    out.println("                       read Kafka (a streaming job); --readMode=bounded --maxRecords=N is a batch run");
    out.println("  --sink=kafka --outputTopic=T [--exactlyOnce]   or   --sink=parquet --output=DIR");
    out.println("  --archive=DIR        also write the valid events as Parquet (the data-lake copy)");
    out.println("  --stopAfter=PT2M --stopWhenIdle=PT15S   end a streaming run by itself");
    out.println("Engine options are Beam's own, e.g. --parallelism, --flinkMaster=host:port, --maxBundleSize,");
    out.println("--sparkMaster=spark://host:7077, --batchIntervalMillis, --streaming.");
    out.println("Embedded engines by default: Flink [local] mini-cluster, Spark local[*].");
    out.println("scripts/run <pipeline> --help lists the pipeline's own options.");
  }
}
