package streams.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import streams.generate.EventGenerator;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.Pipelines;
import streams.cli.EngineOptionsRegistrar;
import streams.cli.Engines;
import streams.harness.ChildProcess;
import streams.harness.Correctness;
import streams.harness.Machine;
import streams.harness.RunOrder;
import streams.harness.Trees;

/**
 * One comparison: generates one input, runs every pipeline × runner × mode × repeat in its own JVM,
 * checks each output against the reference model, collects the conformance matrix, and writes the report
 * (see {@link ReportWriter}). Configurations alternate between repeats (forward, then backward) so that a
 * drift of the machine's speed does not favour the engine that always runs first.
 */
public final class Comparison {
  public static final String BATCH = "batch";
  public static final String STREAMING = "streaming";

  /** What to compare and where to write it. */
  public static final class Settings {
    public List<PipelineDescriptor<?>> pipelines;
    public List<Engines> runners;
    public long events;
    public long seed;
    public List<String> modes;
    public Path out;
    public int repeat;
    public Path baseline;
    /** "run", "skip", or a scenarios.tsv (or folder holding one) to read. */
    public String conformance;
    /** "auto", "jar" or "classpath". */
    public String launcher;
    /** The command as typed, for the report. */
    public String commandLine;
    /** Streaming: input events per second appended to Kafka (0: as fast as the broker takes them). */
    public double rate;
    /** Streaming: a running broker to use, or null to start the project's own. */
    public String bootstrapServers;
    /** Extra engine options given to every run (a tuned setting), none by default. */
    public List<String> runnerArgs = List.of();
  }

  /** A configuration that was not run, and why. */
  static final class Skipped {
    public final String pipeline;
    public final String mode;
    public final String reason;

    Skipped(String pipeline, String mode, String reason) {
      this.pipeline = pipeline;
      this.mode = mode;
      this.reason = reason;
    }
  }

  final Settings settings;
  final Launcher launcher;
  final List<RunResult> runs = new ArrayList<>();
  final List<Skipped> skipped = new ArrayList<>();
  InputFacts input;
  final Machine machine = Machine.current();
  final Map<String, String> versions = Environment.versions();
  JvmFacts jvm;
  final List<Environment.Setting> engineSettings;
  ConformanceMatrix conformance = ConformanceMatrix.none("skipped (--conformance=skip)");
  List<Summary> summaries = List.of();
  List<Baseline.Row> baseline;
  Instant started;
  Instant finished;
  Double loadAverageStart;
  Double loadAverageEnd;

  public Comparison(Settings settings) {
    this.settings = settings;
    this.launcher = Launcher.of(settings.launcher);
    this.engineSettings = Environment.engineSettings(settings.runners);
  }

  /** Runs the comparison and writes the report; returns 0, or 1 when a run failed. */
  public int run(PrintStream out) throws IOException, InterruptedException {
    started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    loadAverageStart = Machine.loadAverage();
    Path outDir = settings.out.toAbsolutePath();
    Files.createDirectories(outDir);
    // Read first: the baseline may be the folder this report replaces.
    JsonNode old = settings.baseline == null ? null : Baseline.read(settings.baseline);
    // An earlier report in the same folder must not leave files this one does not rewrite.
    Trees.delete(outDir.resolve("runs"));
    for (String f : ReportWriter.FILES) {
      Files.deleteIfExists(outDir.resolve(f));
    }
    jvm =
        new JvmFacts(
            launcher.jvmFlags,
            Environment.maxHeapBytes(launcher.jvmFlags),
            launcher.describe(),
            ChildProcess.resourceMeasure(),
            launcher.jar == null ? System.getProperty("java.class.path") : null);

    Path work = Files.createTempDirectory("portable-streams-compare");
    try {
      List<Config> configs = plan();
      Path inputFile = work.resolve("events.jsonl");
      out.printf(Locale.ROOT, "generating %d events (seed %d) ...%n", settings.events, settings.seed);
      EventGenerator.builder().events(settings.events).seed(settings.seed).build().writeTo(inputFile);
      input =
          new InputFacts(
              settings.events,
              settings.seed,
              "EventGenerator defaults: 5 s disorder, 1% late (1-20 min), 0.1% malformed",
              Files.size(inputFile),
              sha256(inputFile));
      List<String> lines = Files.readAllLines(inputFile, StandardCharsets.UTF_8);
      long expectedDeadLetters = Pipelines.deadLetters(lines);

      // Per pipeline and mode: streaming runs may use other pipeline options (see StreamingRun.options).
      Map<String, List<String>> expected = new LinkedHashMap<>();
      for (Config c : configs) {
        String key = c.target.name + "/" + c.mode;
        if (!expected.containsKey(key)) {
          // The model gets exactly the options the runs get, and otherwise the pipeline's defaults.
          c.target.expected(lines, pipelineArgs(c)).ifPresent(e -> {
            List<String> sorted = new ArrayList<>(e);
            Collections.sort(sorted);
            expected.put(key, sorted);
          });
        }
      }
      List<String> streamingInput =
          configs.stream().anyMatch(c -> c.mode.equals(STREAMING)) ? StreamingRun.input(lines) : null;
      lines = null; // the input can be large; the models are done with it
      StreamingRun.Broker broker = streamingInput == null ? null : broker(work, out);
      try {

      Map<Config, String> refused = new HashMap<>();
      for (RunOrder.Slot<Config> slot : RunOrder.alternating(configs, settings.repeat)) {
        Config c = slot.config();
        int rep = slot.repeat();
        RunResult r = new RunResult();
        r.pipeline = c.target.name;
        r.runner = c.runner.toString();
        r.mode = c.mode;
        r.repeat = rep;
        r.sequence = slot.sequence();
        String id = String.format(Locale.ROOT, "%s-%s-%s-r%d", r.pipeline, r.runner, r.mode, rep);
        Path runDir = outDir.resolve("runs").resolve(id);
        Path outputDir = runDir.resolve("output");
        out.printf(
            Locale.ROOT,
            "[%d/%d] %s on %s (%s, repeat %d/%d) ... ",
            slot.sequence(),
            slot.total(),
            r.pipeline,
            r.runner,
            r.mode,
            rep,
            settings.repeat);
        out.flush();
        List<String> args = new ArrayList<>(
            List.of(
                r.pipeline,
                "--runner=" + r.runner,
                "--input=" + inputFile,
                "--output=" + outputDir));
        args.addAll(EngineOptionsRegistrar.keepOwn(settings.runnerArgs, c.runner));
        if (c.mode.equals(STREAMING)) {
          if (refused.containsKey(c)) {
            out.println("not supported: " + refused.get(c));
            continue;
          }
          StreamingRun.run(
              launcher, broker, c.target.streaming, id.replace('/', '-'), streamingInput, settings.rate, runArgs(c), runDir,
              outputDir, r, out);
          if (r.exitCode == 2) {
            // The command line refused the combination at start-up (a named runner limit).
            refused.put(c, r.error);
            skipped.add(new Skipped(r.pipeline, c.mode + " on " + r.runner, r.error));
            out.println("not supported: " + r.error);
            Trees.delete(runDir);
            continue;
          }
        } else {
          ChildRun.run(launcher, args, runDir, outputDir, r);
        }
        if (r.succeeded()) {
          r.correctness =
              c.target.hasModel()
                  ? Correctness.check(
                      "streams.pipelines.Pipelines[" + r.pipeline + "]",
                      expected.get(r.pipeline + "/" + r.mode),
                      c.target.resultKey,
                      expectedDeadLetters,
                      outputDir)
                  : Correctness.noModel();
        }
        runs.add(r);
        out.println(progress(r));
        boolean clean = r.succeeded() && r.correctness != null && !Boolean.FALSE.equals(r.correctness.equal);
        if (clean) {
          Trees.delete(runDir); // kept only when a run failed or differs, for inspection
        }
      }
      } finally {
        if (broker != null) {
          broker.close();
        }
      }
      Path runsDir = outDir.resolve("runs");
      if (Files.isDirectory(runsDir)) {
        try (var s = Files.list(runsDir)) {
          if (s.findAny().isEmpty()) {
            Files.delete(runsDir);
          }
        }
      }
    } finally {
      Trees.delete(work);
    }
    loadAverageEnd = Machine.loadAverage();
    summaries = Summary.of(runs);

    conformance = conformance(outDir, out);
    if (settings.baseline != null) {
      baseline = Baseline.compare(old, summaries);
      printBaseline(out);
    }
    finished = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    new ReportWriter(this).write(outDir);
    out.println("report: " + outDir.resolve("report.html") + " (and report.md, results.json, results.csv, *.png)");
    boolean allOk = runs.stream().allMatch(RunResult::succeeded);
    long differing =
        runs.stream().filter(r -> r.correctness != null && Boolean.FALSE.equals(r.correctness.equal)).count();
    if (differing > 0) {
      out.println(differing + " run(s) differ from the reference model: see the report's correctness section");
    }
    return allOk ? 0 : 1;
  }

  /** A pipeline on a runner in a mode. */
  private static final class Config {
    final PipelineDescriptor<?> target;
    final Engines runner;
    final String mode;

    Config(PipelineDescriptor<?> target, Engines runner, String mode) {
      this.target = target;
      this.runner = runner;
      this.mode = mode;
    }
  }

  private List<Config> plan() {
    List<Config> configs = new ArrayList<>();
    for (PipelineDescriptor<?> t : settings.pipelines) {
      for (String mode : settings.modes) {
        for (Engines e : settings.runners) {
          configs.add(new Config(t, e, mode));
        }
      }
    }
    return configs;
  }

  private StreamingRun.Broker broker(Path work, PrintStream out) throws IOException, InterruptedException {
    if (settings.bootstrapServers != null) {
      return StreamingRun.Broker.external(settings.bootstrapServers);
    }
    Path root = ConformanceMatrix.projectRoot(launcher);
    // Under target/: the broker's jars stay there between comparisons; its data is deleted at the end.
    return StreamingRun.Broker.start(root, root == null ? work : root.resolve("target/kafka-compare"), out);
  }

  private ConformanceMatrix conformance(Path outDir, PrintStream out) throws IOException, InterruptedException {
    String c = settings.conformance;
    List<String> runnerNames = new ArrayList<>();
    settings.runners.forEach(e -> runnerNames.add(e.toString()));
    if (c.equals("skip")) {
      return ConformanceMatrix.none("skipped (--conformance=skip)");
    }
    if (c.equals("run")) {
      return ConformanceMatrix.run(
          ConformanceMatrix.projectRoot(launcher), outDir.resolve("conformance"), runnerNames, out);
    }
    Path file = Path.of(c);
    return ConformanceMatrix.read(file, "read from `" + file.toAbsolutePath() + "` (--conformance=FILE)");
  }

  /** The options of a configuration's streaming runs: its pipeline options, then the extra engine options. */
  private List<String> runArgs(Config c) {
    List<String> a = new ArrayList<>(pipelineArgs(c));
    a.addAll(EngineOptionsRegistrar.keepOwn(settings.runnerArgs, c.runner));
    return a;
  }

  /** The pipeline options of a configuration's runs, which its model gets too. */
  private static List<String> pipelineArgs(Config c) {
    return c.mode.equals(STREAMING) ? c.target.streaming.options() : List.of();
  }

  private static String progress(RunResult r) {
    if (!r.succeeded()) {
      return String.format(Locale.ROOT, "FAILED after %.1f s: %s (logs kept in runs/)", r.wallSeconds, r.error);
    }
    String verdict;
    if (r.correctness == null || r.correctness.equal == null) {
      verdict = "no reference model";
    } else if (r.correctness.equal) {
      verdict = "output = model";
    } else {
      verdict =
          String.format(
              Locale.ROOT,
              "output DIFFERS from model (%d missing, %d unexpected, %d different)",
              r.correctness.missing,
              r.correctness.unexpected,
              r.correctness.different);
    }
    return String.format(
        Locale.ROOT,
        "%.1f s wall, %.1f s processing, %,.0f events/s, CPU %s s, peak RSS %s MB, %s",
        r.wallSeconds,
        r.processingSeconds,
        r.throughputEventsPerSecond == null ? 0.0 : r.throughputEventsPerSecond,
        r.cpuSeconds == null ? "?" : String.format(Locale.ROOT, "%.1f", r.cpuSeconds),
        r.peakRssBytes == null ? "?" : Long.toString(r.peakRssBytes / (1024 * 1024)),
        verdict);
  }

  private void printBaseline(PrintStream out) {
    out.println("ratios new / old against " + settings.baseline + " (medians; throughput > 1 and times < 1 are better):");
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-28s", "configuration"));
    Baseline.LABELS.values().forEach(l -> header.append(String.format(Locale.ROOT, " %12s", l)));
    out.println(header);
    if (baseline.isEmpty()) {
      out.println("  (no configuration in common)");
    }
    for (Baseline.Row row : baseline) {
      StringBuilder sb =
          new StringBuilder(String.format(Locale.ROOT, "  %-28s", row.pipeline + "/" + row.runner + "/" + row.mode));
      row.ratios.values()
          .forEach(v -> sb.append(v == null ? String.format(Locale.ROOT, " %12s", "–") : String.format(Locale.ROOT, " %12.2f", v)));
      out.println(sb);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
