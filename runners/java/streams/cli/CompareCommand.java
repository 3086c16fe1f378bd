package streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import streams.compare.Comparison;
import streams.pipelines.PipelineDescriptor;
import streams.pipelines.Pipelines;

/**
 * {@code scripts/compare [--pipelines=revenue,...] [--runners=direct,flink,spark] [--events=N] [--seed=S]
 * [--mode=batch,streaming] [--rate=EVENTS_PER_S] [--out=reports/NAME] [--repeat=3]
 * [--baseline=OLD_REPORT_DIR] [--conformance=run|skip|FILE]}: runs every pipeline on every runner over the same generated input, each
 * run in its own JVM, and writes a report of correctness, conformance, speed and memory (see
 * {@link Comparison}).
 */
@Command(
    name = "scripts/compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs pipelines on several runners over the same generated input, each run in its own JVM, and"
            + " writes report.md, report.html, charts, results.json and results.csv to --out.")
public final class CompareCommand implements Callable<Integer> {
  @Option(
      names = "--pipelines",
      split = ",",
      paramLabel = "NAME",
      description = "Pipelines to compare (default: every pipeline of scripts/run).")
  List<String> pipelines;

  @Option(
      names = "--runners",
      split = ",",
      paramLabel = "RUNNER",
      defaultValue = "direct,flink,spark",
      description = "Runners (default ${DEFAULT-VALUE}).")
  List<String> runners;

  @Option(names = "--events", paramLabel = "N", defaultValue = "100000", description = "Generated input events (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the generated input (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--mode",
      split = ",",
      paramLabel = "MODE",
      defaultValue = Comparison.BATCH,
      description = "batch and/or streaming (default ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_S",
      defaultValue = "20000",
      description = "Streaming: events appended to the input topic per second; 0 = as fast as the broker takes them (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--bootstrapServers",
      paramLabel = "H:P",
      description = "Streaming: a running Kafka broker to use (default: start the project's own with scripts/kafka).")
  String bootstrapServers;

  @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default reports/compare-<date-time>).")
  Path out;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "3", description = "Runs of each configuration (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--runnerArg",
      paramLabel = "--FLAG=VALUE",
      description =
          "An extra engine option for every run (repeatable), e.g. --runnerArg=--maxBundleTimeMills=100: a tuned"
              + " setting, labelled as such in the report (default: none, the engines' defaults).")
  List<String> runnerArgs = new ArrayList<>();

  @Option(
      names = "--baseline",
      paramLabel = "OLD_REPORT_DIR",
      description = "An earlier report folder: prints and reports the ratios new / old of every median.")
  Path baseline;

  @Option(
      names = "--conformance",
      paramLabel = "run|skip|FILE",
      defaultValue = "run",
      description =
          "run: run the TestStream scenario tests with Maven for the conformance matrix (slow);"
              + " skip; or an earlier scenarios.tsv to read (default ${DEFAULT-VALUE}).")
  String conformance;

  @Option(
      names = "--launcher",
      paramLabel = "auto|jar|classpath",
      defaultValue = "auto",
      description =
          "How each run's JVM starts: jar (java -jar portable-streams.jar, as scripts/run), classpath"
              + " (this JVM's class path, for tests), auto: jar when running from it (default ${DEFAULT-VALUE}).")
  String launcher;

  private PrintStream console = System.out;
  private PrintStream errors = System.err;
  private List<String> commandArgs = List.of();

  public static void main(String[] args) {
    int code = run(Arrays.asList(args), System.out);
    System.out.flush();
    System.exit(code);
  }

  public static int run(List<String> args, PrintStream out) {
    return run(args, out, System.err);
  }

  /** Runs the command; returns 0, 1 when a run failed, 2 for a usage error. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    CompareCommand command = new CompareCommand();
    command.console = out;
    command.errors = err;
    command.commandArgs = args;
    return new CommandLine(command)
        .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
        .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
        .execute(args.toArray(new String[0]));
  }

  @Override
  public Integer call() {
    Comparison.Settings s = new Comparison.Settings();
    try {
      s.pipelines = targets();
      s.runners = new ArrayList<>();
      for (String r : new LinkedHashSet<>(runners)) {
        try {
          s.runners.add(Engines.parse(r.trim()));
        } catch (UsageException e) {
          throw new UsageException("--runners: '" + r + "' is not a runner; allowed: " + Engines.ALLOWED);
        }
      }
      s.modes = new ArrayList<>();
      for (String m : new LinkedHashSet<>(modes)) {
        String mode = m.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals(Comparison.BATCH) && !mode.equals(Comparison.STREAMING)) {
          throw new UsageException("--mode=" + m + " is not a mode; allowed: batch, streaming");
        }
        s.modes.add(mode);
      }
      if (events < 1) {
        throw new UsageException("--events must be at least 1, got " + events);
      }
      if (repeat < 1) {
        throw new UsageException("--repeat must be at least 1, got " + repeat);
      }
      if (baseline != null && !Files.exists(baseline.resolve("results.json")) && !Files.isRegularFile(baseline)) {
        throw new UsageException("--baseline=" + baseline + " holds no results.json (give an earlier --out folder)");
      }
      if (!conformance.equals("run") && !conformance.equals("skip") && !Files.exists(Paths.get(conformance))) {
        throw new UsageException(
            "--conformance=" + conformance + " is neither run, skip nor an existing scenarios.tsv (or its folder)");
      }
      if (rate < 0) {
        throw new UsageException("--rate must be >= 0, got " + rate);
      }
      for (String a : runnerArgs) {
        if (!a.matches("--[A-Za-z][A-Za-z0-9]*=.*")) {
          throw new UsageException("--runnerArg=" + a + " is not an engine option; expected --flag=value, e.g."
              + " --runnerArg=--maxBundleTimeMills=100");
        }
        for (String own : List.of("--runner=", "--input=", "--output=", "--source=", "--sink=")) {
          if (a.startsWith(own)) {
            throw new UsageException("--runnerArg=" + a + ": " + own + "... is set by the comparison itself");
          }
        }
      }
      s.runnerArgs = List.copyOf(runnerArgs);
      s.rate = rate;
      s.bootstrapServers = bootstrapServers;
      s.events = events;
      s.seed = seed;
      s.repeat = repeat;
      s.baseline = baseline;
      s.conformance = conformance;
      s.launcher = launcher;
      s.out =
          out != null
              ? out
              : Paths.get(
                  "reports",
                  "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      s.commandLine = "scripts/compare" + (commandArgs.isEmpty() ? "" : " " + String.join(" ", commandArgs));
      return new Comparison(s).run(console);
    } catch (UsageException | IllegalArgumentException e) {
      errors.println("error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      errors.println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.println("error: interrupted");
      return 1;
    }
  }

  /** The pipelines asked for, in the catalog; an unknown name is a usage error naming those available. */
  private List<PipelineDescriptor<?>> targets() {
    List<String> names =
        pipelines == null ? new ArrayList<>(Pipelines.names()) : new ArrayList<>(new LinkedHashSet<>(pipelines));
    List<PipelineDescriptor<?>> out = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String n : names) {
      Pipelines.find(n.trim()).ifPresentOrElse(out::add, () -> unknown.add(n.trim()));
    }
    if (!unknown.isEmpty()) {
      throw new UsageException(
          (unknown.size() == 1 ? "unknown pipeline '" + unknown.get(0) + "'" : "unknown pipelines " + unknown)
              + "; available: "
              + String.join(", ", Pipelines.names()));
    }
    return out;
  }
}
