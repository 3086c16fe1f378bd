package streams.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import streams.generate.EventGenerator;
import streams.cli.EngineJvmFlags;
import streams.cli.Engines;
import streams.harness.ChildProcess;
import streams.harness.Correctness;
import streams.harness.RunOrder;
import streams.harness.Stat;
import streams.harness.Trees;
import streams.pipelines.Pipelines;

/**
 * {@code scripts/bench [--events=N] [--pipelines=revenue,fraud] [--repeat=3] [--out=DIR]}: the cost of
 * portability, measured. Over one generated input, each configuration runs in its own JVM, the
 * configurations alternating (forward on odd repeats, backward on even ones):
 *
 * <ul>
 *   <li>{@code plain-java}: the reference model as a single-threaded program ({@link PlainJava});
 *   <li>{@code native-flink}: the query by hand on Flink's DataStream API, streaming mode, parallelism = cores
 *       ({@link NativeFlinkRevenue}, {@link NativeFlinkFraud}; revenue and fraud only);
 *   <li>{@code beam-flink}, {@code beam-spark}: the project's pipeline through {@code scripts/run}.
 * </ul>
 *
 * Each run's output must equal the reference model's (sorted lines), else the run counts as wrong. Figures:
 * wall time of the process and its peak RSS (GNU time), and the run phase each program reports (its own
 * clock around the job). Ratios are taken run by run within a repeat, then summarised as median (min–max).
 */
@Command(
    name = "scripts/bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Measures the pipelines on Flink and Spark against a native Flink job and plain Java.")
public final class Bench implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "1000000", description = "Generated input events (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the input (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pipelines", split = ",", defaultValue = "revenue,fraud", description = "Pipelines (default ${DEFAULT-VALUE}).")
  List<String> pipelines;

  @Option(names = "--repeat", defaultValue = "3", description = "Runs of each configuration (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--out", description = "Output folder (default reports/bench-<date-time>).")
  Path out;

  @Option(
      names = "--beamArg",
      description = "An extra argument of the Beam runs (repeatable), e.g. --beamArg=--useDataStreamForBatch=true.")
  List<String> beamArgs = new ArrayList<>();

  /** The project root when started by scripts/bench: the Beam runs then go through scripts/run itself. */
  private static final String ROOT = System.getProperty("streams.root");

  /** Size of the generated input. */
  private long inputBytes = -1;

  private static final Duration TIMEOUT = Duration.ofMinutes(60);
  private static final Pattern TRAILING_SECONDS = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) s$");

  public static void main(String[] args) {
    // --mode=streaming: the Kafka benchmark (streams.benchmarks.streaming); --mode=batch or none: this one.
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--mode=streaming")) {
        streams.benchmarks.streaming.StreamingBench.main(args);
        return;
      } else if (a.startsWith("--mode") && !a.equals("--mode=batch")) {
        System.err.println("error: " + a + " is not allowed; allowed: --mode=batch (default), --mode=streaming");
        System.exit(2);
      } else if (!a.equals("--mode=batch")) {
        rest.add(a);
      }
    }
    System.exit(new CommandLine(new Bench()).execute(rest.toArray(new String[0])));
  }

  /** One measured run. */
  public static final class Run {
    public String pipeline;
    public String config;
    public int repeat;
    public int exitCode;
    public Double wallSeconds;
    public Double runPhaseSeconds;
    public Long peakRssBytes;
    public Boolean outputEqualsModel;
    public String summary;
    public List<String> command;
  }

  /** One configuration of the harness: how it starts a run of a pipeline, and which pipelines it has. */
  private interface Configuration {
    String name();

    boolean has(String pipeline);

    /** The command of one run; the run writes its results to {@code outDir}. */
    List<String> command(String pipeline, Path input, Path outDir) throws IOException;
  }

  /** The native Flink DataStream jobs, by pipeline: the pipelines written by hand on the engine's own API. */
  private static final Map<String, Class<?>> NATIVE_FLINK = Map.of("revenue", NativeFlinkRevenue.class, "fraud", NativeFlinkFraud.class);

  private List<Configuration> configurations() {
    return List.of(
        configuration("plain-java", p -> true, (p, in, out) -> java(List.of(), PlainJava.class.getName(), p, in.toString(), out.toString())),
        configuration(
            "native-flink",
            NATIVE_FLINK::containsKey,
            (p, in, out) ->
                // The same engine gets the heap and JIT flags a Beam batch run on Flink over this input gets.
                java(
                    EngineJvmFlags.forEngine(Engines.FLINK, false, Files.size(in), -1, ownFlags()),
                    NATIVE_FLINK.get(p).getName(),
                    in.toString(),
                    out.toString(),
                    "streaming",
                    Integer.toString(Runtime.getRuntime().availableProcessors()))),
        beam("beam-flink", Engines.FLINK),
        beam("beam-spark", Engines.SPARK));
  }

  /** The project's pipeline on an engine: through scripts/run itself when started by scripts/bench. */
  private Configuration beam(String name, Engines engine) {
    return configuration(
        name,
        p -> true,
        (p, in, out) -> {
          List<String> args = new ArrayList<>(List.of(p, "--runner=" + engine, "--input=" + in, "--output=" + out));
          args.addAll(beamArgs);
          if (ROOT != null) {
            List<String> cmd = new ArrayList<>(List.of(Paths.get(ROOT, "scripts", "run").toString()));
            cmd.addAll(args);
            return cmd;
          }
          List<String> cmd = new ArrayList<>(args);
          cmd.add(0, "streams.cli.Cli");
          return java(EngineJvmFlags.forRun(ownFlags(), args), cmd.toArray(new String[0]));
        });
  }

  @FunctionalInterface
  private interface Command {
    List<String> of(String pipeline, Path input, Path outDir) throws IOException;
  }

  private static Configuration configuration(String name, java.util.function.Predicate<String> has, Command command) {
    return new Configuration() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean has(String pipeline) {
        return has.test(pipeline);
      }

      @Override
      public List<String> command(String pipeline, Path input, Path outDir) throws IOException {
        return command.of(pipeline, input, outDir);
      }
    };
  }

  @Override
  public Integer call() throws Exception {
    for (String p : pipelines) {
      if (Pipelines.find(p).isEmpty()) {
        System.err.println("error: unknown pipeline '" + p + "'; allowed: " + String.join(", ", Pipelines.names()));
        return 2;
      }
    }
    if (repeat < 1 || events < 1) {
      System.err.println("error: --repeat and --events must be at least 1");
      return 2;
    }
    Path dir =
        (out != null
                ? out
                : Paths.get("reports", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
            .toAbsolutePath();
    Files.createDirectories(dir);
    Path input = dir.resolve("events.jsonl");
    System.out.printf(Locale.ROOT, "generating %,d events (seed %d) ...%n", events, seed);
    EventGenerator.builder().events(events).seed(seed).build().writeTo(input);
    inputBytes = Files.size(input);
    List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (String p : pipelines) {
      List<String> e = new ArrayList<>(PlainJava.run(p, lines));
      Collections.sort(e);
      expected.put(p, e);
    }
    lines = null;

    List<Object[]> plan = new ArrayList<>(); // {pipeline, configuration}
    for (String p : pipelines) {
      for (Configuration c : configurations()) {
        if (c.has(p)) {
          plan.add(new Object[] {p, c});
        }
      }
    }
    if (ROOT != null) {
      warmUp(dir);
    }
    List<Run> runs = new ArrayList<>();
    for (RunOrder.Slot<Object[]> slot : RunOrder.alternating(plan, repeat)) {
      String p = (String) slot.config()[0];
      Configuration c = (Configuration) slot.config()[1];
      System.out.printf(Locale.ROOT, "[%d/%d] %s %s (repeat %d) ... ", slot.sequence(), slot.total(), p, c.name(), slot.repeat());
      System.out.flush();
      Run r = run(p, c, slot.repeat(), input, dir.resolve("run"), expected.get(p));
      runs.add(r);
      System.out.printf(
          Locale.ROOT,
          "%s wall, %s run phase, %s MB peak RSS%s%n",
          fmt(r.wallSeconds, "%.1f s"),
          fmt(r.runPhaseSeconds, "%.1f s"),
          r.peakRssBytes == null ? "?" : Long.toString(r.peakRssBytes >> 20),
          Boolean.TRUE.equals(r.outputEqualsModel) ? ", output = model" : ", OUTPUT DIFFERS or run failed (exit " + r.exitCode + ")");
    }
    Files.deleteIfExists(input);
    String report = report(runs, dir);
    System.out.print(report);
    Files.writeString(dir.resolve("bench.md"), report, StandardCharsets.UTF_8);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench.json").toFile(), runs);
    System.out.println("written: " + dir.resolve("bench.md") + ", " + dir.resolve("bench.json"));
    return runs.stream().allMatch(r -> Boolean.TRUE.equals(r.outputEqualsModel)) ? 0 : 1;
  }

  private Run run(String pipeline, Configuration config, int rep, Path input, Path outDir, List<String> expected)
      throws IOException, InterruptedException {
    Trees.delete(outDir);
    Files.createDirectories(outDir);
    List<String> cmd = config.command(pipeline, input, outDir);
    Run r = new Run();
    r.pipeline = pipeline;
    r.config = config.name();
    r.repeat = rep;
    r.command = cmd;
    Path log = outDir.resolveSibling("run.log");
    ChildProcess.Measured m =
        ChildProcess.run(
            cmd,
            log,
            null,
            TIMEOUT,
            (line, now) -> {
              boolean summary =
                  line.startsWith("plain-java ") || line.startsWith("native-flink-") || line.startsWith(pipeline + " on ");
              Matcher x = TRAILING_SECONDS.matcher(line);
              if (summary && !line.contains(": reading ") && x.find()) {
                r.summary = line;
                r.runPhaseSeconds = Double.parseDouble(x.group(1));
              }
            },
            null);
    r.exitCode = m.exitCode();
    r.wallSeconds = m.wallSeconds();
    r.peakRssBytes = m.peakRssBytes();
    Correctness.Verdict v =
        Correctness.check(config.name(), expected, Pipelines.named(pipeline).resultKey, -1, outDir);
    r.outputEqualsModel = r.exitCode == 0 && Boolean.TRUE.equals(v.equal);
    return r;
  }

  /** This JVM's flags: the configurations that start java themselves start it alike. */
  private static List<String> ownFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments();
  }

  /** java, this JVM's flags, the extra flags and class path, then the main class and its arguments. */
  private static List<String> java(List<String> extraFlags, String... mainAndArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ownFlags());
    cmd.addAll(extraFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(List.of(mainAndArgs));
    return cmd;
  }

  /**
   * One untimed run of each runner on a small input, before any timed run: the first scripts/run of a runner
   * records its class-data sharing archive (a one-off cost a user pays once), so every timed run maps it.
   */
  private void warmUp(Path dir) throws IOException, InterruptedException {
    Path small = dir.resolve("warm-up.jsonl");
    EventGenerator.builder().events(200).seed(seed).build().writeTo(small);
    for (String engine : List.of("flink", "spark")) {
      System.out.printf(Locale.ROOT, "warm-up (untimed): %s on %s ...%n", pipelines.get(0), engine);
      Path outDir = dir.resolve("warm-up");
      Trees.delete(outDir);
      List<String> cmd = new ArrayList<>(List.of(Paths.get(ROOT, "scripts", "run").toString(), pipelines.get(0),
          "--runner=" + engine, "--input=" + small, "--output=" + outDir));
      cmd.addAll(beamArgs);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("warm-up.log").toFile()).start();
      p.waitFor();
      Trees.delete(outDir);
    }
    Files.deleteIfExists(small);
  }

  /** The JIT flags the engine runs got, in words. */
  private static String jitNote() {
    if (EngineJvmFlags.setsItself(EngineJvmFlags.JIT, ownFlags())) {
      return "as given to this command";
    }
    return EngineJvmFlags.describe(EngineJvmFlags.JIT) + "; native Flink as Beam on Flink";
  }

  /** The markdown summary: medians (min–max) per configuration, then the ratios the targets are about. */
  String report(List<Run> runs, Path dir) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%n## scripts/bench --events=%d --pipelines=%s --repeat=%d%n%n", events, String.join(",", pipelines), repeat));
    s.append(String.format(Locale.ROOT, "Machine: %d cores, Java %s. JVM flags of every run: %s%s.%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
            .replaceAll("--add-opens=\\S+ ?", "").replaceAll("-Dstreams.root=\\S+ ?", "").trim(),
        ROOT == null ? "" : "; the Beam runs go through scripts/run (class-data sharing "
            + ("off".equals(System.getenv("PORTABLE_STREAMS_CDS")) ? "off" : "on") + ")"
            + (beamArgs.isEmpty() ? "" : ", with " + String.join(" ", beamArgs))
            + (EngineJvmFlags.setsItself(EngineJvmFlags.HEAP, ownFlags())
                ? ""
                : "; maximum heap of the Flink and Spark runs, native and Beam: "
                    + EngineJvmFlags.describe(EngineJvmFlags.HEAP) + ", of plain Java: the JVM default")
            + "; JIT: " + jitNote()));
    s.append("| pipeline | configuration | output = model | wall (s) | run phase (s) | peak RSS (MB) |\n");
    s.append("| --- | --- | --- | --- | --- | --- |\n");
    for (String p : pipelines) {
      for (Configuration conf : configurations()) {
        String c = conf.name();
        List<Run> rs = of(runs, p, c);
        if (rs.isEmpty()) {
          continue;
        }
        s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", p, c,
            rs.stream().allMatch(r -> Boolean.TRUE.equals(r.outputEqualsModel)) ? "yes" : "**NO**",
            stat(rs, r -> r.wallSeconds, "%.1f"),
            stat(rs, r -> r.runPhaseSeconds, "%.1f"),
            stat(rs, r -> r.peakRssBytes == null ? null : r.peakRssBytes / 1048576.0, "%,.0f")));
      }
    }
    s.append("\nRatios, run by run within a repeat, median (min–max); target in brackets:\n\n");
    for (String p : pipelines) {
      for (String engine : List.of("flink", "spark")) {
        if (!of(runs, p, "native-flink").isEmpty()) {
          s.append(String.format(Locale.ROOT, "- %s: beam-%s run phase / native-flink run phase = %s× (≤ 1.0)%n", p, engine,
              ratio(runs, p, "beam-" + engine, "native-flink", r -> r.runPhaseSeconds)));
        }
        s.append(String.format(Locale.ROOT, "- %s: beam-%s whole process / plain-java whole process = %s× (≤ 2)%n", p, engine,
            ratio(runs, p, "beam-" + engine, "plain-java", r -> r.wallSeconds)));
      }
    }
    s.append(String.format(Locale.ROOT, "%nRuns, logs of the last run: %s%n", dir));
    return s.toString();
  }

  private static List<Run> of(List<Run> runs, String p, String c) {
    List<Run> out = new ArrayList<>();
    for (Run r : runs) {
      if (r.pipeline.equals(p) && r.config.equals(c)) {
        out.add(r);
      }
    }
    return out;
  }

  private static String stat(List<Run> rs, java.util.function.Function<Run, Double> f, String format) {
    List<Double> v = new ArrayList<>();
    for (Run r : rs) {
      Double x = f.apply(r);
      if (x != null) {
        v.add(x);
      }
    }
    return summary(v, format);
  }

  private String ratio(List<Run> runs, String p, String num, String den, java.util.function.Function<Run, Double> f) {
    List<Double> v = new ArrayList<>();
    for (int rep = 1; rep <= repeat; rep++) {
      Double a = null;
      Double b = null;
      for (Run r : runs) {
        if (r.pipeline.equals(p) && r.repeat == rep && Boolean.TRUE.equals(r.outputEqualsModel)) {
          if (r.config.equals(num)) {
            a = f.apply(r);
          } else if (r.config.equals(den)) {
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

  /** "median (min–max)" of the values, the harness's statistic; "–" when there is none. */
  static String summary(List<Double> v, String format) {
    return Stat.format(Stat.of(v, x -> x), format);
  }

  private static String fmt(Double v, String format) {
    return v == null ? "?" : String.format(Locale.ROOT, format, v);
  }
}
