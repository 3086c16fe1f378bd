package streams.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import streams.transforms.LinesParsed;

/**
 * A batch run: runs the job to its end, printing a progress line every {@code --progressInterval} (events
 * read, their rate, the share of the input read) while it runs on an engine embedded in this JVM
 * ({@link LinesParsed}; a job on a cluster shows no progress lines).
 */
final class BatchJob {
  private BatchJob() {}

  static JobOutcome run(RunPlan plan, PrintStream out, MetricsEndpoint metrics) {
    long inputBytes = plan.source == SourceKind.FILE ? InputFiles.totalBytes(plan.options.getInput()) : -1;
    Duration every = Flags.duration("progressInterval", plan.console().getProgressInterval());
    PipelineResult result;
    try (Reporter progress = new Reporter(out, every, inputBytes)) {
      result = plan.pipeline.run();
      try (SparkStartWatch watch = SparkStartWatch.of(plan, result)) {
        try {
          metrics.watch(result);
          FlinkJobs flink = JobControl.track(result);
          if (flink == null) {
            result.waitUntilFinish();
          } else {
            awaitEnd(flink);
          }
        } catch (RuntimeException e) {
          watch.throwIfFired(); // the watch's one line, not the cancelled job's error
          throw e;
        }
        watch.throwIfFired();
      }
    }
    return new JobOutcome(result, JobOutcome.finalState(result), "", JobCounters.of(result));
  }

  /**
   * Waits for a detached Flink job (a batch job on a cluster, {@link Engines#forCluster}); a failed one
   * throws its cause, as an attached job's run would.
   */
  private static void awaitEnd(FlinkJobs flink) {
    PipelineResult.State state;
    do {
      state = flink.awaitEnd(1_000);
    } while (state == null);
    if (state == PipelineResult.State.FAILED) {
      Throwable cause = flink.failure();
      throw new IllegalStateException(cause == null ? "the job failed" : JobCounters.rootCause(cause), cause);
    }
  }

  /** Prints the progress line on its own thread until closed. */
  static final class Reporter implements AutoCloseable {
    private final PrintStream out;
    private final long inputBytes;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "batch-progress");
              t.setDaemon(true);
              return t;
            });
    private long lastLines;
    private long lastNanos = start;

    Reporter(PrintStream out, Duration every, long inputBytes) {
      this.out = out;
      this.inputBytes = inputBytes;
      LinesParsed.reset();
      timer.scheduleAtFixedRate(this::report, every.getMillis(), every.getMillis(), TimeUnit.MILLISECONDS);
    }

    private void report() {
      long lines = LinesParsed.lines();
      long now = System.nanoTime();
      if (lines == 0) {
        return;
      }
      double rate = (lines - lastLines) / ((now - lastNanos) / 1e9);
      lastLines = lines;
      lastNanos = now;
      out.println(line((now - start) / 1e9, lines, rate, LinesParsed.bytes(), inputBytes));
    }

    /** {@code   running 5 s: 412000 events read (82400 events/s), 37% of the input (512.0 MiB)}. */
    static String line(double seconds, long events, double rate, long bytesRead, long inputBytes) {
      String line = String.format(
          Locale.ROOT, "  running %.0f s: %d events read (%.0f events/s)", seconds, events, rate);
      if (inputBytes > 0) {
        double share = Math.min(100.0, 100.0 * bytesRead / inputBytes);
        line += String.format(Locale.ROOT, ", %.0f%% of the input (%.1f MiB)", share, inputBytes / 1048576.0);
      }
      return line;
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
