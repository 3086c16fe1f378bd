package streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import streams.io.KafkaSourceConfig;
import streams.io.ReadEnd;
import streams.io.SinkConfig;

/**
 * A streaming run: starts the job without blocking, prints progress, and ends it when it finishes by
 * itself, on {@code --stopAfter} or {@code --stopWhenIdle}, or on Ctrl-C: drained (Kafka source with
 * {@code --stop=drain}) or cancelled.
 */
final class StreamingJob {
  private StreamingJob() {}

  static JobOutcome run(RunPlan plan, PrintStream out, MetricsEndpoint metrics) {
    PipelineResult result = JobControl.start(plan.pipeline, Duration.standardMinutes(2));
    metrics.watch(result);
    Thread cancelOnExit =
        new Thread(
            () -> {
              cancelQuietly(result);
              if (plan.engine == Engines.SPARK) {
                Recovery.removeDefaultCheckpoints(plan.options.as(SparkPipelineOptions.class));
              }
            },
            "cancel-on-exit");
    Runtime.getRuntime().addShutdownHook(cancelOnExit);
    Interrupts interrupts = Interrupts.install(plan.drainSignal != null);
    PipelineResult.State state = null;
    String ending = "";
    Map<String, Long> seen;
    try (Progress progress = progressOf(result, plan);
        SparkStartWatch watch = SparkStartWatch.of(plan, result)) {
      JobControl.Ending end;
      try {
        end =
            JobControl.await(
                result,
                plan.stopAfter,
                plan.stopWhenIdle,
                progress,
                out,
                interrupts::requested);
      } catch (RuntimeException e) {
        watch.throwIfFired(); // the watch's one line, not the cancelled job's error
        throw e;
      }
      watch.throwIfFired(); // no executor ever registered: the watch cancelled the job, its one line
      if (end == JobControl.Ending.SPARK_INPUT_ENDED) {
        state = PipelineResult.State.DONE;
      } else if (end != JobControl.Ending.FINISHED) {
        String why =
            end == JobControl.Ending.STOPPED_WHEN_IDLE
                ? "idle for " + plan.stopWhenIdle
                : end == JobControl.Ending.INTERRUPTED ? "interrupted" : "after " + plan.stopAfter;
        if (plan.drainSignal != null) {
          out.println("draining (" + why + "): the sources finish at what the topics hold, open windows"
              + " and buffers emit their results ...");
          if (JobControl.drain(
              result, drainRequest(plan), plan.drainTimeout, progress)) {
            ending = " (drained: " + why + ")";
            state = PipelineResult.State.DONE;
          } else {
            ending = " (" + why + "; not drained within " + plan.drainTimeout + ": cancelled, open state lost)";
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
    Map<String, Long> counters = JobCounters.of(result);
    if (counters.isEmpty()) {
      // A detached Flink job no longer answers once it has ended: its last counters seen while it ran.
      counters = seen;
    }
    interrupts.close();
    try {
      Runtime.getRuntime().removeShutdownHook(cancelOnExit);
    } catch (IllegalStateException e) {
      // The JVM is ending (SIGTERM): the hook is what cancelled the job; the summary below says so.
    }
    FlinkJobs flink = JobControl.flinkJob(result);
    if (flink != null) {
      flink.awaitEmbeddedShutdown(10_000);
    }
    return new JobOutcome(result, state == null ? JobOutcome.finalState(result) : state, ending, counters);
  }

  /** Writes the drain signal: every Kafka partition ends at what its broker holds now. */
  private static Runnable drainRequest(RunPlan plan) {
    Path signal = plan.drainSignal;
    String servers = plan.options.getBootstrapServers();
    List<String> topics = KafkaSourceConfig.from(plan.options).topics();
    return () -> {
      try {
        ReadEnd.requestDrain(signal, servers, topics);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the drain signal " + signal + ": " + e.getMessage(), e);
      }
    };
  }

  private static Progress progressOf(PipelineResult result, RunPlan plan) {
    List<String> in = plan.source == SourceKind.KAFKA ? KafkaSourceConfig.from(plan.options).topics() : List.of();
    List<String> outTopics = List.of();
    if (plan.sink == SinkKind.KAFKA) {
      SinkConfig sink = SinkConfig.from(plan.options, plan.options.getOutput());
      outTopics = List.of(sink.outputTopic(), sink.deadLetterTopic());
    }
    return new Progress(
        result,
        plan.options.getBootstrapServers(),
        in,
        outTopics,
        plan.sink == SinkKind.KAFKA ? null : plan.options.getOutput());
  }

  private static void cancelQuietly(PipelineResult result) {
    try {
      JobControl.cancel(result, Duration.standardSeconds(20));
    } catch (RuntimeException e) {
      // The process is ending anyway.
    }
    FlinkJobs flink = JobControl.flinkJob(result);
    if (flink != null) {
      flink.awaitEmbeddedShutdown(5_000); // the process ends (SIGTERM): its RPC jar goes with the mini-cluster
    }
  }
}
