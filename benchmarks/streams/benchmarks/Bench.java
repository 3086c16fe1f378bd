package streams.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import streams.generate.EventGenerator;
import streams.cli.Engines;

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

  static final List<String> CONFIGS = List.of("plain-java", "native-flink", "beam-flink", "beam-spark");
  private static final Pattern TRAILING_SECONDS = Pattern.compile("([0-9]+(?:\\.[0-9]+)?) s$");

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
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

  @Override
  public Integer call() throws Exception {
    for (String p : pipelines) {
      if (!List.of("revenue", "completed", "fraud", "join").contains(p)) {
        System.err.println("error: unknown pipeline '" + p + "'; allowed: revenue, completed, fraud, join");
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

    List<String[]> plan = new ArrayList<>();
    for (String p : pipelines) {
      for (String c : CONFIGS) {
        if (!c.equals("native-flink") || p.equals("revenue") || p.equals("fraud")) {
          plan.add(new String[] {p, c});
        }
      }
    }
    if (ROOT != null) {
      warmUp(dir);
    }
    List<Run> runs = new ArrayList<>();
    int total = plan.size() * repeat;
    int seq = 0;
    for (int rep = 1; rep <= repeat; rep++) {
      List<String[]> order = new ArrayList<>(plan);
      if (rep % 2 == 0) {
        Collections.reverse(order);
      }
      for (String[] pc : order) {
        seq++;
        System.out.printf(Locale.ROOT, "[%d/%d] %s %s (repeat %d) ... ", seq, total, pc[0], pc[1], rep);
        System.out.flush();
        Run r = run(pc[0], pc[1], rep, input, dir.resolve("run"), expected.get(pc[0]));
        runs.add(r);
        System.out.printf(
            Locale.ROOT,
            "%s wall, %s run phase, %s MB peak RSS%s%n",
            fmt(r.wallSeconds, "%.1f s"),
            fmt(r.runPhaseSeconds, "%.1f s"),
            r.peakRssBytes == null ? "?" : Long.toString(r.peakRssBytes >> 20),
            Boolean.TRUE.equals(r.outputEqualsModel) ? ", output = model" : ", OUTPUT DIFFERS or run failed (exit " + r.exitCode + ")");
      }
    }
    Files.deleteIfExists(input);
    String report = report(runs, dir);
    System.out.print(report);
    Files.writeString(dir.resolve("bench.md"), report, StandardCharsets.UTF_8);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("bench.json").toFile(), runs);
    System.out.println("written: " + dir.resolve("bench.md") + ", " + dir.resolve("bench.json"));
    return runs.stream().allMatch(r -> Boolean.TRUE.equals(r.outputEqualsModel)) ? 0 : 1;
  }

  private Run run(String pipeline, String config, int rep, Path input, Path outDir, List<String> expected)
      throws IOException, InterruptedException {
    deleteTree(outDir);
    Files.createDirectories(outDir);
    List<String> args = new ArrayList<>();
    switch (config) {
      case "plain-java":
        args.addAll(List.of(PlainJava.class.getName(), pipeline, input.toString(), outDir.toString()));
        break;
      case "native-flink":
        args.addAll(
            List.of(
                pipeline.equals("revenue") ? NativeFlinkRevenue.class.getName() : NativeFlinkFraud.class.getName(),
                input.toString(),
                outDir.toString(),
                "streaming",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        break;
      default:
        args.addAll(
            List.of(
                pipeline,
                "--runner=" + config.substring("beam-".length()),
                "--input=" + input,
                "--output=" + outDir));
        args.addAll(beamArgs);
    }
    Path time = Files.createTempFile("bench-time", ".txt");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M", "-o", time.toString()));
    if (config.startsWith("beam-") && ROOT != null) {
      cmd.add(Paths.get(ROOT, "scripts", "run").toString());
    } else {
      cmd.addAll(javaCommand());
      if (config.equals("native-flink")) {
        // The same engine gets the same heap as the Beam runs on it (what scripts/run gives them).
        if (cmd.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
          cmd.add(cmd.indexOf("-cp"), Engines.EMBEDDED_ENGINE_HEAP);
        }
        // ... and the same JIT flags as a Beam batch run on Flink over this input (scripts/run's rule).
        if (!Engines.choosesJit(cmd)) {
          cmd.addAll(cmd.indexOf("-cp"), Engines.batchJitFlags(Engines.FLINK, Files.size(input)));
        }
      }
      if (config.startsWith("beam-")) {
        cmd.add("streams.cli.Cli");
      }
    }
    cmd.addAll(args);
    Run r = new Run();
    r.pipeline = pipeline;
    r.config = config;
    r.repeat = rep;
    r.command = cmd.subList(5, cmd.size());
    Path log = outDir.resolveSibling("run.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    r.exitCode = p.waitFor();
    List<String> time2 = Files.readAllLines(time);
    Files.deleteIfExists(time);
    if (!time2.isEmpty()) {
      String[] f = time2.get(time2.size() - 1).trim().split(" ");
      if (f.length == 2) {
        r.wallSeconds = Double.parseDouble(f[0]);
        r.peakRssBytes = Long.parseLong(f[1]) * 1024;
      }
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      boolean summary =
          line.startsWith("plain-java ") || line.startsWith("native-flink-") || line.startsWith(pipeline + " on ");
      Matcher m = TRAILING_SECONDS.matcher(line);
      if (summary && !line.contains(": reading ") && m.find()) {
        r.summary = line;
        r.runPhaseSeconds = Double.parseDouble(m.group(1));
      }
    }
    List<String> actual = new ArrayList<>();
    try (Stream<Path> files = Files.list(outDir)) {
      for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!l.isEmpty()) {
            actual.add(l);
          }
        }
      }
    }
    Collections.sort(actual);
    r.outputEqualsModel = r.exitCode == 0 && actual.equals(expected);
    return r;
  }

  /** java, this JVM's flags and class path: how the configurations that are not scripts/run start. */
  private static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
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
      deleteTree(outDir);
      List<String> cmd = new ArrayList<>(List.of(Paths.get(ROOT, "scripts", "run").toString(), pipelines.get(0),
          "--runner=" + engine, "--input=" + small, "--output=" + outDir));
      cmd.addAll(beamArgs);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("warm-up.log").toFile()).start();
      p.waitFor();
      deleteTree(outDir);
    }
    Files.deleteIfExists(small);
  }

  /** The markdown summary: medians (min–max) per configuration, then the ratios the targets are about. */
  /** The JIT flags the engine runs got, in words. */
  private String jitNote() {
    if (Engines.choosesJit(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
      return "as given to this command";
    }
    String flinkJit = Engines.batchJitFlags(Engines.FLINK, inputBytes).isEmpty() ? "the JVM default" : Engines.QUICK_JIT;
    return String.format(Locale.ROOT, "%s for Spark; for Flink, native and Beam, %s (input of %.1f MB; C1 only below %d MiB)",
        Engines.QUICK_JIT, flinkJit, inputBytes / 1e6, Engines.SHORT_FLINK_INPUT_BYTES >> 20);
  }

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
            + (ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.startsWith("-Xmx"))
                ? ""
                : "; maximum heap of the Flink and Spark runs, native and Beam: " + Engines.EMBEDDED_ENGINE_HEAP
                    + ", of plain Java: the JVM default")
            + "; JIT: " + jitNote()));
    s.append("| pipeline | configuration | output = model | wall (s) | run phase (s) | peak RSS (MB) |\n");
    s.append("| --- | --- | --- | --- | --- | --- |\n");
    for (String p : pipelines) {
      for (String c : CONFIGS) {
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

  static String summary(List<Double> v, String format) {
    if (v.isEmpty()) {
      return "–";
    }
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    String m = String.format(Locale.ROOT, format, median);
    return n == 1 ? m : m + " (" + String.format(Locale.ROOT, format, s.get(0)) + "–" + String.format(Locale.ROOT, format, s.get(n - 1)) + ")";
  }

  private static String fmt(Double v, String format) {
    return v == null ? "?" : String.format(Locale.ROOT, format, v);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Collections.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
