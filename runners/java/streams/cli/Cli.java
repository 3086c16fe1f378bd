package streams.cli;

import streams.pipelines.Pipelines;
import streams.pipelines.PipelineDescriptor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import streams.pipelines.StreamsOptions;

/**
 * The runner switch: {@code scripts/run <pipeline> [--runner=direct|flink|spark] [Beam and pipeline
 * options]}, and the commands {@code generate}, {@code query} and {@code compare}. Options are parsed by
 * Beam's {@code PipelineOptionsFactory}, so every runner option works as documented. Mistakes give one
 * line on stderr and exit code 2; a failed job gives one line and the engine log's path, exit code 1.
 * The console shows the command line's own lines; the engines' log lines go to the run's log file
 * ({@link EngineLog}; {@code --verbose} shows them too).
 */
public final class Cli {
  static {
    PipelineOptionsFactory.register(RunOptions.class);
    PipelineOptionsFactory.register(Recovery.Options.class);
    PipelineOptionsFactory.register(ConsoleOptions.class);
  }

  private Cli() {}

  public static void main(String[] args) {
    EngineTempFiles.deleteWhenTheJvmEnds();
    int code = execute(Arrays.asList(args), System.out);
    haltAfter(java.time.Duration.ofSeconds(30), code);
    // Engines leave non-daemon threads behind after the job ends: exit explicitly.
    System.exit(code);
  }

  /**
   * Runs one command line as {@code scripts/run} does and returns its exit code: its own lines to {@code
   * out}, its messages to stderr (as it is when called: {@link EngineLog} sends what the engines print there
   * to the run's log file), the engines' log lines to that file. {@link ClientDaemon} calls it for each
   * command it is sent.
   */
  static int execute(List<String> list, PrintStream out) {
    EngineLog log = engineLogOf(list);
    PrintStream err = EngineLog.consoleErr();
    int code;
    try {
      code = run(list, out, log == null ? null : log.file());
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println("Run scripts/run --help for pipelines and options.");
      code = 2;
    } catch (RuntimeException e) {
      if (log == null && !(e instanceof JobFailedException)) {
        throw e;
      }
      String message =
          e instanceof JobFailedException ? e.getMessage() : JobCounters.rootCause(e).split("\\R", 2)[0];
      err.println("error: " + message);
      if (log != null) {
        log.failure(message, e.getCause() != null && e instanceof JobFailedException ? e.getCause() : e);
        if (log.file() != null) {
          err.println("engine log: " + log.file());
        }
      }
      code = 1;
    }
    out.flush();
    return code;
  }

  /**
   * For a pipeline run, sends the engines' log lines to its log file before an engine starts; null for
   * the other commands, help and a command line whose runner is wrong (it fails before any engine runs).
   */
  private static EngineLog engineLogOf(List<String> args) {
    if (args.isEmpty() || Pipelines.find(args.get(0)).isEmpty()) {
      return null;
    }
    List<String> rest = args.subList(1, args.size());
    if (rest.contains("--help") || rest.contains("-h")) {
      return null;
    }
    Engines engine;
    try {
      engine = Engines.fromArgs(rest);
    } catch (UsageException e) {
      return null;
    }
    String name = args.get(0);
    String output = Flags.rawValue(rest, "output");
    if (output == null) {
      output = Paths.get("output", name + "-" + engine).toString();
    }
    Path file = EngineLog.fileFor(name, engine, Flags.rawValue(rest, "logDir"), output);
    return EngineLog.start(file, Flags.rawFlag(rest, "verbose"));
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
              EngineLog.consoleErr()
                  .println("note: the engine did not shut down within " + grace.toSeconds() + " s; halting");
              Runtime.getRuntime().halt(code);
            },
            "halt-if-shutdown-hangs");
    halt.setDaemon(true);
    halt.start();
  }

  static int run(List<String> args, PrintStream out) {
    return run(args, out, null);
  }

  /** Runs one command; {@code logFile}: the engine log of a pipeline run, printed with its summary. */
  static int run(List<String> args, PrintStream out, Path logFile) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      Usage.print(out);
      return 0;
    }
    List<String> rest = args.subList(1, args.size());
    switch (args.get(0)) {
      case "generate":
        return GenerateCommand.run(rest, out);
      case "query":
        return QueryCommand.run(rest, out);
      case "compare":
        return CompareCommand.run(rest, out);
      case "jobs":
      case "stop":
        return ClusterJobs.run(args.get(0), rest, out);
      default:
        break;
    }
    String name = args.get(0);
    PipelineDescriptor<?> entry = Pipelines.find(name).orElse(null);
    if (entry == null) {
      throw new UsageException(
          "unknown pipeline '" + name + "'; allowed: " + String.join(", ", Pipelines.names()));
    }
    if (rest.contains("--help") || rest.contains("-h")) {
      Usage.printPipeline(out, entry);
      return 0;
    }
    return PipelineCommand.run(entry, List.copyOf(rest), out, logFile);
  }

  // Shared helpers, kept here under their former names for the other commands.

  static <O extends StreamsOptions> O parseOptions(List<String> args, Class<O> optionsClass) {
    return Flags.parseOptions(args, optionsClass);
  }

  static String describeOptionError(String message) {
    return Flags.describeOptionError(message);
  }

  static boolean parseStop(String value) {
    return Flags.parseStop(value);
  }

  static Path generatedInput(long events, long seed, PrintStream out) {
    return InputFiles.generated(events, seed, out);
  }

  static Map<String, Long> counters(PipelineResult result) {
    return JobCounters.of(result);
  }

  static String rootCause(Throwable e) {
    return JobCounters.rootCause(e);
  }
}
