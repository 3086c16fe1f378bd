package streams.compare;

import java.util.List;
import streams.harness.Correctness;

/**
 * What one run measured: one pipeline on one runner in one mode, one repeat, in its own JVM. Every figure
 * is written as is to {@code results.json} and {@code results.csv}; {@code null} means not measured (the
 * run failed before that point, or the figure does not apply).
 */
public final class RunResult {
  public String pipeline;
  public String runner;
  public String mode;
  /** 1-based repeat number. */
  public int repeat;
  /** 1-based position in the order the runs were made. */
  public int sequence;
  /** The child's exact command line. */
  public List<String> command;

  public int exitCode;
  /** The job's final state from the summary line (DONE, FAILED, ...), or "NO SUMMARY". */
  public String state;
  /** Why the run failed (the child's error line), or null. */
  public String error;

  /** Process start to exit, seconds (JVM start, engine start, job, shutdown). */
  public double wallSeconds;
  /** Process start to the job's start (the command line's "reading" line): JVM start and graph building. */
  public Double startupSeconds;
  /** The job's own time as the command line reports it: {@code pipeline.run()} to finish, seconds. */
  public Double processingSeconds;
  /** Job start to the first result file appearing in the output folder, seconds. */
  public Double firstResultSeconds;
  public Double cpuUserSeconds;
  public Double cpuSystemSeconds;
  public Double cpuSeconds;
  public Long peakRssBytes;
  /** How CPU and memory were measured: "GNU time" (exact) or "/proc polling" (approximate). */
  public String resourceMeasure;

  public Long eventsIn;
  public Long resultsOut;
  public Long deadLetters;
  /** Events the job dropped as too late (the pipelines' late_dropped counter), where the runner reports it. */
  public Long lateDropped;
  /** Input events / processing seconds. */
  public Double throughputEventsPerSecond;

  public Correctness.Verdict correctness;

  // ---- streaming mode (through the Kafka broker) ----
  /** Events appended to the input topic per second, as measured by the broker's append times. */
  public Double inputRateEventsPerSecond;
  /** What the latency is measured from (per pipeline), or why it is not measured. */
  public String latencyBasis;
  /** Latency samples (results matched to their input). */
  public Long latencySamples;
  public Double latencyP50Millis;
  public Double latencyP95Millis;
  public Double latencyP99Millis;
  public Double latencyMaxMillis;
  /** The latency distribution at 1%, 2%, ... 100% (101 points from the minimum), for the CDF chart. */
  public List<Double> latencyPercentilesMillis;
  /** Input events not reflected in the final results (revenue: orders missing from the last panes). */
  public Long lateDroppedDerived;

  boolean succeeded() {
    // A streaming run ends when the command line cancels it once it has gone quiet.
    return exitCode == 0
        && ("DONE".equals(state) || (Comparison.STREAMING.equals(mode) && "CANCELLED".equals(state)));
  }

  String configuration() {
    return pipeline + " / " + runner + " / " + mode;
  }
}
