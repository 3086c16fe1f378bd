package streams.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.runners.flink.FlinkRunnerResult;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.client.deployment.ClusterClientJobClientAdapter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;

/**
 * What a detached Flink job (a streaming run of the command line) tells about itself through its {@link
 * JobClient}, which Beam's {@link FlinkDetachedRunnerResult} keeps to itself: its end and its counters.
 * The embedded per-job mini-cluster shuts down as soon as the job ends, after which the result answers
 * nothing; the job's execution result, asked for while it runs, survives that (its end state and its final
 * accumulators, where Beam's Flink runner keeps the metrics). Beam 2.62's result types are read by
 * reflection: the field {@code jobClient} and the package-private {@code FlinkRunnerResult(Map, long)}.
 *
 * <p>A job on a cluster is watched differently: Flink's REST client asks for a job's execution result again
 * and again with a doubling pause (10 ms, 20 ms, ... up to 2 s), so a job that ends 1.3 s after its start
 * is seen at 2.55 s. Here its status is asked for every {@value #CLUSTER_POLL_MILLIS} ms (one small REST
 * request) and its execution result once it has ended.
 */
final class FlinkJobs {
  /** How often the status of a job on a cluster is asked for. */
  static final long CLUSTER_POLL_MILLIS = 50;

  private static final int CLUSTER_STATUS_FAILURES = 100;

  private static final ScheduledExecutorService WATCHER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "flink-job-watch");
            t.setDaemon(true);
            return t;
          });

  private final JobClient client;
  private final CompletableFuture<JobExecutionResult> end;

  private FlinkJobs(JobClient client) {
    this.client = client;
    this.end = client instanceof ClusterClientJobClientAdapter ? watchStatus(client) : client.getJobExecutionResult();
  }

  /**
   * The execution result of a job on a cluster, asked for once its status says it has ended (or once the
   * status could not be read for {@value #CLUSTER_STATUS_FAILURES} polls in a row: then Flink's own answer,
   * an error most likely, is what the command line reports).
   */
  private static CompletableFuture<JobExecutionResult> watchStatus(JobClient client) {
    CompletableFuture<JobExecutionResult> end = new CompletableFuture<>();
    new Object() {
      private int failures;

      void check() {
        client
            .getJobStatus()
            .whenComplete(
                (status, error) -> {
                  failures = error == null ? 0 : failures + 1;
                  if ((status != null && status.isGloballyTerminalState()) || failures >= CLUSTER_STATUS_FAILURES) {
                    client
                        .getJobExecutionResult()
                        .whenComplete((r, e) -> {
                          if (e != null) {
                            end.completeExceptionally(e);
                          } else {
                            end.complete(r);
                          }
                        });
                  } else {
                    WATCHER.schedule(this::check, CLUSTER_POLL_MILLIS, TimeUnit.MILLISECONDS);
                  }
                });
      }
    }.check();
    return end;
  }

  /** Null when {@code result} is not a detached Flink job's, or its client cannot be reached. */
  static FlinkJobs of(PipelineResult result) {
    if (!(result instanceof FlinkDetachedRunnerResult)) {
      return null;
    }
    try {
      Field f = FlinkDetachedRunnerResult.class.getDeclaredField("jobClient");
      f.setAccessible(true);
      return new FlinkJobs((JobClient) f.get(result));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The job behind a client (as {@link MetricsEndpoint}'s job listener gets it, for batch jobs too). */
  static FlinkJobs ofClient(JobClient client) {
    return new FlinkJobs(client);
  }

  /**
   * Once the job has ended, waits up to {@code millis} for the embedded per-job mini-cluster to finish
   * shutting down (nothing for a job on a cluster). That shutdown is asynchronous, and it is what deletes the
   * RPC system's jar that Flink unpacks into the temporary folder at every start (22 MB): a JVM that exits
   * before it leaves that file behind. Beam 2.62 with Flink 1.19: the client's field {@code miniCluster},
   * whose {@code closeAsync()} returns the shutdown already under way.
   */
  void awaitEmbeddedShutdown(long millis) {
    if (!(client instanceof MiniClusterJobClient) || awaitEnd(millis) == null) {
      return;
    }
    try {
      Field f = MiniClusterJobClient.class.getDeclaredField("miniCluster");
      f.setAccessible(true);
      ((MiniCluster) f.get(client)).closeAsync().get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ReflectiveOperationException | ExecutionException | TimeoutException | RuntimeException e) {
      // Not shut down in time, or it failed to: at worst the jar stays in the temporary folder.
    }
  }

  /** {@link #endState()} once the job has ended or {@code millis} have passed, whichever comes first. */
  PipelineResult.State awaitEnd(long millis) {
    try {
      end.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      // ended badly: endState() tells how
    }
    return endState();
  }

  /** The end state once the job has ended, else null. */
  PipelineResult.State endState() {
    if (!end.isDone()) {
      return null;
    }
    try {
      end.get();
      return PipelineResult.State.DONE;
    } catch (ExecutionException e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t.getClass().getSimpleName().equals("JobCancellationException")) {
          return PipelineResult.State.CANCELLED;
        }
      }
      return PipelineResult.State.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Why the job failed, once it has ended in failure; else null. */
  Throwable failure() {
    if (!end.isDone()) {
      return null;
    }
    try {
      end.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.CancellationException e) {
      return e;
    }
  }

  /** The job's metrics: final once it has ended, current while it runs; null if it cannot tell. */
  MetricResults metrics() {
    try {
      Map<String, Object> accumulators;
      if (end.isDone()) {
        if (endState() != PipelineResult.State.DONE) {
          return null;
        }
        accumulators = end.get().getAllAccumulatorResults();
      } else {
        accumulators = client.getAccumulators().get(10, TimeUnit.SECONDS);
      }
      Constructor<FlinkRunnerResult> c =
          FlinkRunnerResult.class.getDeclaredConstructor(Map.class, long.class);
      c.setAccessible(true);
      return c.newInstance(accumulators, 0L).metrics();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }
}
