package streams.io;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import streams.testing.TestRunner;

/**
 * Real streaming jobs (not the Test* runners): production runners in streaming mode, started without
 * blocking and ended by cancelling, the way a user runs a Kafka pipeline.
 *
 * <ul>
 *   <li>Direct: {@code --blockOnRun=false}: {@code run()} returns at once, {@code cancel()} stops the
 *       executor.
 *   <li>Flink: the embedded {@code [local]} mini-cluster with {@code --attachedMode=false}: in attached mode
 *       {@code run()} of a streaming job only returns when the job ends; detached, the job is submitted
 *       with {@code executeAsync} and {@code cancel()} cancels it through its JobClient (the per-job
 *       mini-cluster then shuts down).
 *   <li>Spark: {@code run()} starts the StreamingContext and returns; {@code cancel()} stops it
 *       (gracefully) and the SparkContext. The checkpoint folder is per run: Spark resumes a streaming job
 *       from an existing checkpoint of the same folder.
 * </ul>
 */
final class StreamingJobs {
  private StreamingJobs() {}

  static PipelineOptions options(TestRunner runner, Path workDir) {
    PipelineOptions options = PipelineOptionsFactory.create();
    switch (runner) {
      case DIRECT:
        options.setRunner(DirectRunner.class);
        options.as(DirectOptions.class).setBlockOnRun(false);
        break;
      case FLINK:
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(FlinkRunner.class);
        flink.setFlinkMaster("[local]");
        flink.setParallelism(2);
        flink.setAttachedMode(false);
        break;
      case SPARK:
        SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
        spark.setRunner(SparkRunner.class);
        spark.setSparkMaster("local[2]");
        spark.setBatchIntervalMillis(1000L);
        spark.setCheckpointDir(workDir.resolve("spark-checkpoint").toString());
        break;
      default:
        throw new IllegalStateException();
    }
    options.as(StreamingOptions.class).setStreaming(true);
    options.setJobName("kafka-test-" + runner + "-" + System.nanoTime());
    return options;
  }

  /** Starts the job; fails if {@code run()} does not return within a minute (a blocking runner). */
  static PipelineResult start(Pipeline pipeline) throws Exception {
    ExecutorService starter = Executors.newSingleThreadExecutor();
    try {
      Future<PipelineResult> result = starter.submit(() -> pipeline.run());
      return result.get(60, TimeUnit.SECONDS);
    } finally {
      starter.shutdownNow();
    }
  }

  /**
   * Cancels the job, bounded in time; a job that already failed rethrows its failure. Spark's graceful stop
   * interrupts the job generator, which may be inside the Kafka source's {@code split} (it lists the
   * partitions): the interruption comes back from {@code cancel()} as "Failed to create partitions" caused
   * by an {@code InterruptedException}. That is the stop itself, not a failure of the job.
   */
  static void cancel(PipelineResult result) throws Exception {
    if (result == null) {
      return;
    }
    ExecutorService stopper = Executors.newSingleThreadExecutor();
    try {
      stopper.submit(() -> result.cancel()).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!causedByInterruption(e) && !alreadyEnded(e)) {
        throw e;
      }
    } finally {
      stopper.shutdownNow();
    }
  }

  /** A detached Flink job that has finished by itself: its per-job mini-cluster is gone. */
  private static boolean alreadyEnded(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("MiniCluster is not yet running or has already been shut down")) {
        return true;
      }
    }
    return false;
  }

  private static boolean causedByInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof org.apache.kafka.common.errors.InterruptException) {
        return true;
      }
    }
    return false;
  }
}
