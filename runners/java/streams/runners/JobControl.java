package streams.runners;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.spark.SparkPipelineResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
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

  private JobControl() {}

  /** Why the job ended. */
  public enum Ending {
    FINISHED,
    STOPPED_AFTER_DEADLINE,
    STOPPED_WHEN_IDLE
  }

  /** {@code pipeline.run()}, failing if it has not returned within {@code timeout} (a blocking runner). */
  public static PipelineResult start(Pipeline pipeline, Duration timeout) {
    ExecutorService starter = Executors.newSingleThreadExecutor(daemon("job-start"));
    try {
      Future<PipelineResult> result = starter.submit(() -> pipeline.run());
      return result.get(timeout.getMillis(), TimeUnit.MILLISECONDS);
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
      PipelineResult result, Duration stopAfter, Duration stopWhenIdle, Progress progress, PrintStream out) {
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
      changed |= !seen.equals(first);
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
   * The job's state after at most a second. Spark's streaming result only learns its state inside {@code
   * waitUntilFinish}; the other engines answer {@code getState()} directly (a detached Flink job's {@code
   * waitUntilFinish} sleeps five seconds between checks).
   */
  private static PipelineResult.State poll(PipelineResult result) {
    if (result instanceof SparkPipelineResult) {
      return result.waitUntilFinish(Duration.millis(POLL_MILLIS));
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
    ExecutorService stopper = Executors.newSingleThreadExecutor(daemon("job-cancel"));
    try {
      stopper.submit(() -> result.cancel()).get(timeout.getMillis(), TimeUnit.MILLISECONDS);
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
