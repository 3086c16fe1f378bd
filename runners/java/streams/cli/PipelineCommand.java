package streams.cli;

import streams.pipelines.Pipelines;
import streams.pipelines.PipelineDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.logging.log4j.LogManager;
import streams.io.OutputDirs;
import streams.io.SinkConfig;

/**
 * {@code scripts/run <pipeline> [options]}: plans the run ({@link RunPlan}), says what runs, runs the job
 * ({@link BatchJob} or {@link StreamingJob}) and prints the summary and where the results and the engine
 * log are. Output lines (parsed by {@code streams.compare.ChildRun} and the tests):
 *
 * <pre>
 * revenue on flink: reading /tmp/events.jsonl
 *   running 5 s: 412000 events read (82400 events/s), 37% of the input (512.0 MiB)
 * revenue on flink: DONE, 1000000 events in, 200000 results out, 0 dead letters, 0 late, 12.3 s
 * results: /home/me/output/revenue-flink (*.jsonl)
 * dead letters: /home/me/output/revenue-flink/dead-letter (*.jsonl)
 * engine log: /home/me/output/logs/revenue-flink-20261202-014911.log
 * </pre>
 */
final class PipelineCommand {
  private PipelineCommand() {}

  /** Runs the job; {@code logFile}: where the engines log (null: nowhere in particular, e.g. in tests). */
  static int run(PipelineDescriptor<?> entry, List<String> args, PrintStream out, Path logFile) {
    RunPlan plan = RunPlan.of(entry, args, out);
    String name = plan.name();
    Engines engine = plan.engine;
    if (logFile != null) {
      LogManager.getLogger(PipelineCommand.class)
          .info("{} on {}: scripts/run {} {}", name, engine, name, String.join(" ", args));
    }
    out.printf(
        Locale.ROOT, "%s on %s: reading %s%s%n", name, engine, plan.describeSource(), plan.streaming ? " (streaming)" : "");
    if (plan.sink == SinkKind.KAFKA) {
      out.println("delivery: " + KafkaDelivery.describe(engine, plan.options));
    }
    MetricsEndpoint metrics = MetricsEndpoint.open(name, engine, plan.options, out);
    String watch = ClusterJobs.whereToLook(engine, plan.options);
    if (plan.options.as(RunOptions.class).getMetricsPort() == null && watch != null) {
      out.println(watch);
    }
    long start = System.nanoTime();
    JobOutcome outcome;
    try {
      outcome = plan.streaming ? StreamingJob.run(plan, out, metrics) : BatchJob.run(plan, out, metrics);
    } catch (RuntimeException e) {
      metrics.close();
      if (engine == Engines.SPARK) {
        Recovery.removeDefaultCheckpoints(plan.options.as(SparkPipelineOptions.class));
      }
      String cause = JobCounters.rootCause(e);
      throw new JobFailedException(name + " failed on " + engine + ": " + cause.split("\\R", 2)[0].trim(), e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        Locale.ROOT, "%s on %s: %s%s, %s, %.1f s%n", name, engine, outcome.state, outcome.ending, counts(outcome), seconds);
    printWhereResultsAre(plan, out);
    if (logFile != null) {
      out.println("engine log: " + logFile);
    }
    if (plan.drainSignal != null) {
      try {
        Files.deleteIfExists(plan.drainSignal);
      } catch (IOException e) {
        // A leftover empty file in the temporary folder; the next run of this job name clears it.
      }
    }
    Recovery.afterRun(engine, name, plan.options.getGroupId(), plan.options, outcome.state);
    metrics.close();
    return outcome.exitCode();
  }

  /** {@code N events in, M results out, K dead letters, L late}, the part of the summary the tests parse. */
  private static String counts(JobOutcome outcome) {
    if (outcome.counters.isEmpty()) {
      return "no counts (the runner reports no metrics for this job)";
    }
    return String.format(
        Locale.ROOT,
        "%d events in, %d results out, %d dead letters, %d late",
        outcome.counters.getOrDefault("events_in", 0L),
        outcome.counters.getOrDefault("results_out", 0L),
        outcome.counters.getOrDefault("dead_letters", 0L),
        outcome.counters.getOrDefault("late_dropped", 0L));
  }

  private static void printWhereResultsAre(RunPlan plan, PrintStream out) {
    if (plan.sink == SinkKind.KAFKA) {
      SinkConfig sink = SinkConfig.from(plan.options, plan.options.getOutput());
      out.println("results: kafka topic " + sink.outputTopic());
      out.println("dead letters: kafka topic " + sink.deadLetterTopic());
    } else {
      String ext = plan.sink.extension;
      out.println("results: " + plan.options.getOutput() + " (*." + ext + ")");
      out.println("dead letters: " + OutputDirs.deadLetterDir(plan.options.getOutput()) + " (*." + ext + ")");
    }
  }
}
