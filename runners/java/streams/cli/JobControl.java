package streams.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.spark.SparkPipelineResult;
import org.apache.beam.runners.spark.util.GlobalWatermarkHolder;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.StreamingContextState;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.joda.time.Duration;

/**
 * Starts a streaming job without blocking and ends it: on a deadline ({@code --stopAfter}), once it has
 * gone quiet ({@code --stopWhenIdle}), or when it fails. Every engine is started so that {@code run()}
 * returns while the job runs (Direct {@code --blockOnRun=false}, Flink {@code --attachedMode=false},
 * Spark's streaming context), see {@link Engines#normalise}; {@link #cancel} then stops it: Flink
 * through the job's client, Spark by stopping the streaming context, Direct by stopping its executor.
 */
public final class JobControl {
  private static final long POLL_MILLIS = 1_000;
  /** How often a Spark job's watermark is looked at while waiting for its input to end. */
  private static final long SPARK_WATERMARK_CHECK_MILLIS = 100;

  /** The detached Flink jobs this JVM started, by result: their end and counters ({@link FlinkJobs}). */
  private static final Map<PipelineResult, FlinkJobs> FLINK_JOBS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private JobControl() {}

  /** The detached Flink job behind {@code result}, if it is one this JVM started. */
  static FlinkJobs flinkJob(PipelineResult result) {
    return FLINK_JOBS.get(result);
  }

  /** Keeps the detached Flink job behind {@code result} (if it is one) for its end and counters. */
  static FlinkJobs track(PipelineResult result) {
    FlinkJobs flink = FlinkJobs.of(result);
    if (flink != null) {
      FLINK_JOBS.put(result, flink);
    }
    return flink;
  }

  /** Why the job ended. */
  public enum Ending {
    FINISHED,
    /** Spark: every source reached the end of its input (--readMode=toEnd), the context was stopped. */
    SPARK_INPUT_ENDED,
    STOPPED_AFTER_DEADLINE,
    STOPPED_WHEN_IDLE,
    INTERRUPTED
  }

  /** {@code pipeline.run()}, failing if it has not returned within {@code timeout} (a blocking runner). */
  public static PipelineResult start(Pipeline pipeline, Duration timeout) {
    ExecutorService starter = Executors.newSingleThreadExecutor(daemon("job-start"));
    try {
      if (pipeline.getOptions().getRunner().getSimpleName().contains("Spark")) {
        // Spark's watermarks live in a static holder: a job started earlier in this JVM left its own.
        GlobalWatermarkHolder.clear();
        // What a micro-batch reads from a source must survive until the batch is processed.
        SparkSourceReads.watch(timeout.getMillis());
      }
      Future<PipelineResult> result = starter.submit(() -> pipeline.run());
      PipelineResult started = result.get(timeout.getMillis(), TimeUnit.MILLISECONDS);
      track(started);
      return started;
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the runner did not return from run() within " + timeout.getStandardSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the job", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException
          ? (RuntimeException) e.getCause()
          : new IllegalStateException(e.getCause());
    } finally {
      starter.shutdownNow();
    }
  }

  /**
   * Waits until the job ends by itself, {@code stopAfter} has passed (null: no deadline) or nothing has
   * changed for {@code stopWhenIdle} (null: never idle) after something did ({@link Progress}: counters,
   * input and output). A progress line goes to {@code out} every 10 s.
   */
  static Ending await(
      PipelineResult result,
      Duration stopAfter,
      Duration stopWhenIdle,
      Progress progress,
      PrintStream out,
      java.util.function.BooleanSupplier interrupted) {
    long start = System.currentTimeMillis();
    long lastChange = start;
    long lastLine = start;
    String first = null;
    String last = null;
    boolean changed = false;
    while (true) {
      PipelineResult.State state = poll(result);
      if (state != null && state.isTerminal()) {
        return Ending.FINISHED;
      }
      if (interrupted.getAsBoolean()) {
        return Ending.INTERRUPTED;
      }
      if (result instanceof SparkPipelineResult && sparkWatermarkAtEnd()) {
        stopSparkAfterItsInputEnded(result, progress);
        return Ending.SPARK_INPUT_ENDED;
      }
      long now = System.currentTimeMillis();
      if (stopAfter != null && now - start >= stopAfter.getMillis()) {
        return Ending.STOPPED_AFTER_DEADLINE;
      }
      if (stopWhenIdle == null && now - lastLine < 10_000) {
        continue;
      }
      Progress.Snapshot snapshot = progress.take();
      String seen = snapshot.fingerprint();
      if (first == null) {
        first = seen;
      }
      // Something was done: a change since the first look, or output already there at the first look (a
      // fast job may have read and written everything before it).
      changed |= !seen.equals(first) || snapshot.didSomething();
      if (!seen.equals(last)) {
        last = seen;
        lastChange = now;
      } else if (stopWhenIdle != null && changed && now - lastChange >= stopWhenIdle.getMillis()) {
        return Ending.STOPPED_WHEN_IDLE;
      }
      if (now - lastLine >= 10_000) {
        lastLine = now;
        out.printf(Locale.ROOT, "  running %.0f s: %s%n", (now - start) / 1e3, snapshot.describe());
      }
    }
  }

  /**
   * Drains the job: {@code request} writes the drain signal, on which every Kafka partition ends once it
   * has read what its broker holds ({@code streams.io.ReadEnd}); its watermark goes to the end of time, so every window
   * closes and every buffer is decided by its timers. Flink and Direct then finish the job by themselves.
   * Spark's streaming context never ends by itself: once Spark's global watermark of every source has
   * reached the end of time, a few micro-batches ({@link #settle}) let the last windows fire, then the
   * context is stopped gracefully. Returns false if that did not happen within {@code timeout} (the caller
   * then cancels).
   */
  static boolean drain(
      PipelineResult result, Runnable request, Duration timeout, Progress progress) {
    request.run();
    long deadline = System.currentTimeMillis() + timeout.getMillis();
    if (result instanceof SparkPipelineResult) {
      while (!sparkWatermarkAtEnd()) {
        if (System.currentTimeMillis() >= deadline) {
          return false;
        }
        PipelineResult.State state = poll(result);
        if (state != null && state.isTerminal()) {
          return state == PipelineResult.State.DONE;
        }
      }
      stopSparkAfterItsInputEnded(result, progress);
      return true;
    }
    while (System.currentTimeMillis() < deadline) {
      PipelineResult.State state = poll(result);
      if (state != null && state.isTerminal()) {
        return state == PipelineResult.State.DONE;
      }
    }
    return false;
  }

  /** True once Spark's watermark of every source of this JVM's streaming job is at the end of time. */
  private static boolean sparkWatermarkAtEnd() {
    Map<Integer, GlobalWatermarkHolder.SparkWatermarks> marks = GlobalWatermarkHolder.get(POLL_MILLIS);
    if (marks == null || marks.isEmpty()) {
      return false;
    }
    for (GlobalWatermarkHolder.SparkWatermarks w : marks.values()) {
      if (w.getHighWatermark().isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Spark's streaming context never ends by itself: once its input has ended, lets the last windows fire
   * and the sinks write ({@link #settle}), then stops the context gracefully.
   */
  private static void stopSparkAfterItsInputEnded(PipelineResult result, Progress progress) {
    settle(progress);
    // Everything is written: no need for Spark's graceful stop, which waits for the job generator's next
    // tick and then for that batch (up to two batch intervals). Beam's cancel then stops the Spark context.
    stop(() -> {
      scala.Option<StreamingContext> active = StreamingContext.getActive();
      if (active.isDefined()) {
        active.get().stop(false, false);
      }
      return result.cancel();
    }, Duration.standardMinutes(1));
  }

  /**
   * Micro-batches that must complete after Spark's watermark was seen at the end of time before its
   * context is stopped: the first may have started before that watermark was published and run with the
   * one before it; the second started after it, so every window and timer fired in it.
   */
  static final int SETTLE_BATCHES = 2;

  /**
   * Spark, input ended: its last windows fire and its sinks write in the micro-batches that follow the one
   * that published the end-of-time watermark (a batch that was already running then still runs with the
   * watermark before it). Waits until {@value #SETTLE_BATCHES} micro-batches have completed since then and
   * the latest one changed neither the job's counters nor its outputs (so the one that fired the windows
   * has been followed by one that wrote nothing more); at most five minutes, and not once the context has
   * stopped (a failure). Counted in completed batches, not in time: a slow batch is waited for. It was three
   * quiet batches in a row after any change (about two batch intervals more per run).
   */
  private static void settle(Progress progress) {
    scala.Option<StreamingContext> active = StreamingContext.getActive();
    if (active.isEmpty()) {
      return; // already stopped
    }
    CompletedBatches batches = new CompletedBatches();
    active.get().addStreamingListener(batches);
    try {
      long deadline = System.currentTimeMillis() + 300_000;
      String last = progress.take().fingerprint();
      long since = batches.count();
      long seen = since;
      boolean quiet = false;
      while (!(quiet && seen - since >= SETTLE_BATCHES)
          && System.currentTimeMillis() < deadline
          && active.get().getState() == StreamingContextState.ACTIVE) { // a failed job stops its context
        long now = batches.awaitMoreThan(seen, POLL_MILLIS);
        if (now == seen) {
          continue;
        }
        String fingerprint = progress.take().fingerprint();
        quiet = fingerprint.equals(last);
        last = fingerprint;
        seen = now;
      }
    } finally {
      active.get().removeStreamingListener(batches);
    }
  }

  /** Counts the micro-batches Spark reports completed. */
  private static final class CompletedBatches implements StreamingListener {
    private long completed;

    @Override
    public synchronized void onBatchCompleted(StreamingListenerBatchCompleted batch) {
      completed++;
      notifyAll();
    }

    synchronized long count() {
      return completed;
    }

    /** The count once it is above {@code seen}, or after {@code millis}. */
    synchronized long awaitMoreThan(long seen, long millis) {
      long deadline = System.currentTimeMillis() + millis;
      long left;
      while (completed <= seen && (left = deadline - System.currentTimeMillis()) > 0) {
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return completed;
    }
  }

  /**
   * The job's state after at most a second. Spark's streaming result only learns its state inside {@code
   * waitUntilFinish}; the other engines answer {@code getState()} directly (a detached Flink job's {@code
   * waitUntilFinish} sleeps five seconds between checks).
   */
  private static PipelineResult.State poll(PipelineResult result) {
    if (result instanceof SparkPipelineResult) {
      // Returns early once every source's watermark is at the end of time (the caller then stops the job).
      long until = System.currentTimeMillis() + POLL_MILLIS;
      PipelineResult.State state;
      do {
        state = result.waitUntilFinish(Duration.millis(SPARK_WATERMARK_CHECK_MILLIS));
      } while (state == null && System.currentTimeMillis() < until && !sparkWatermarkAtEnd());
      return state;
    }
    FlinkJobs flink = FLINK_JOBS.get(result);
    if (flink != null) {
      // The per-job mini-cluster is gone once the job ends: its execution result tells how it ended.
      // Waits on the job's end rather than sleeping: the command sees a finished job at once.
      PipelineResult.State end = flink.awaitEnd(POLL_MILLIS);
      return end == null ? PipelineResult.State.RUNNING : end;
    }
    PipelineResult.State state = result.getState();
    if (state == null || !state.isTerminal()) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return PipelineResult.State.CANCELLED;
      }
    }
    return state;
  }

  /**
   * Cancels the job, bounded in time. Spark's graceful stop interrupts the job generator, which may be
   * inside the Kafka source listing its partitions: that interruption comes back from {@code cancel()} and
   * is the stop itself, not a failure.
   */
  public static void cancel(PipelineResult result, Duration timeout) {
    stop(result::cancel, timeout);
  }

  private static void stop(java.util.concurrent.Callable<?> stopping, Duration timeout) {
    ExecutorService stopper = Executors.newSingleThreadExecutor(daemon("job-cancel"));
    try {
      stopper.submit(stopping).get(timeout.getMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!causedByInterruption(e)) {
        throw new IllegalStateException("cancelling the job failed: " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("the job did not stop within " + timeout.getStandardSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopper.shutdownNow();
    }
  }

  static boolean causedByInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof org.apache.kafka.common.errors.InterruptException) {
        return true;
      }
    }
    return false;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
