package streams.cli;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.joda.time.Duration;
import scala.Option;

/**
 * A job on a Spark cluster whose executors never start would wait for ever: the standalone master removes
 * an application only after 10 executor failures in a row, and counts from zero again each time an
 * executor process is launched (Spark 3.5, {@code Master.scala}: {@code resetRetryCount} when the worker
 * reports it RUNNING), so an executor JVM that exits at start (a bad JVM option, a missing jar, too little
 * memory) is launched again and again, thousands of times, and the driver waits for resources without end.
 * While the job runs, this watch checks once a second whether any executor has registered with the driver;
 * when none has within {@code --sparkExecutorTimeout}, it stops the job and the run fails with one line.
 * Once an executor has registered, it stops watching. Only for a cluster master (never {@code local[*]}); batch
 * and streaming runs alike (a streaming context without executors queues its micro-batches for ever).
 */
final class SparkStartWatch implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private final PipelineResult result;
  private final long deadline;
  private final boolean streaming;
  private volatile String failure;
  private volatile boolean started;

  /** The watch of a run that is not on a Spark cluster: watches nothing, never fires. */
  private static final SparkStartWatch NONE = new SparkStartWatch();

  private SparkStartWatch() {
    this.result = null;
    this.deadline = 0;
    this.streaming = false;
    this.timer = null;
  }

  private SparkStartWatch(PipelineResult result, Duration timeout, boolean streaming) {
    this.result = result;
    this.streaming = streaming;
    this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout.getMillis());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "spark-executor-watch");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(() -> check(timeout), 1, 1, TimeUnit.SECONDS);
  }

  /** A watch for a job on a Spark cluster; one that does nothing otherwise. */
  static SparkStartWatch of(RunPlan plan, PipelineResult result) {
    if (plan.engine != Engines.SPARK) {
      return NONE;
    }
    String master = plan.options.as(SparkPipelineOptions.class).getSparkMaster();
    if (master == null || !Engines.isCluster(Engines.SPARK, master)) {
      return NONE;
    }
    Duration timeout =
        Flags.duration("sparkExecutorTimeout", plan.options.as(RunOptions.class).getSparkExecutorTimeout());
    return new SparkStartWatch(result, timeout, plan.streaming);
  }

  private void check(Duration timeout) {
    if (started || failure != null) {
      return;
    }
    Option<SparkContext> active = SparkContext$.MODULE$.getActive();
    if (active.isDefined() && active.get().statusTracker().getExecutorInfos().length > 1) {
      // getExecutorInfos lists the driver too: more than one means an executor registered.
      started = true;
      timer.shutdown();
      return;
    }
    if (System.nanoTime() < deadline) {
      return;
    }
    String app = active.isDefined() ? active.get().applicationId() : "the application";
    failure =
        String.format(
            Locale.ROOT,
            "no executor of %s registered within %d s: the cluster started none (no free cores or memory?) or"
                + " its executors died at start (see the worker's log, with scripts/cluster:"
                + " DIR/work/%s/*/stderr); --sparkExecutorTimeout=%s",
            app, timeout.getStandardSeconds(), app, timeout);
    timer.shutdown();
    try {
      if (streaming && active.isDefined()) {
        // Beam's streaming read collects each micro-batch's read while the batch is generated, holding
        // the DStream graph's lock; without executors that collect waits for ever, and stopping the
        // streaming context (which needs the lock) would wait behind it. Stopping the SparkContext fails
        // the collect: the batch's generation fails and the job ends with that error.
        active.get().stop();
      } else {
        result.cancel();
      }
    } catch (Exception | LinkageError e) {
      // The run fails with the line above whatever the runner says.
    }
  }

  /** Throws the watch's failure if it stopped the job. */
  void throwIfFired() {
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
