package streams.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The jobs of a Flink session cluster, through its REST API (the one the Web UI and Flink's own {@code flink}
 * command use), for the two things a user does to a running streaming job besides watching it:
 *
 * <pre>
 *   scripts/run jobs --flinkMaster=HOST:PORT
 *   scripts/run stop --flinkMaster=HOST:PORT --savepointDir=DIR [--job=ID|NAME] [--drain] [--timeout=PT5M]
 * </pre>
 *
 * {@code stop} is Flink's stop-with-savepoint ({@code flink stop --savepointPath DIR JOB}): the sources stop,
 * a savepoint is written under DIR and the job finishes; it prints the savepoint's path, which {@code
 * scripts/run PIPELINE ... --savepointPath=PATH} (Beam's option) resumes from. Without {@code --drain} the
 * open windows and buffers stay in the savepoint and continue in the resumed job; with it they are flushed
 * first (the watermark goes to the end of time), as when a job is not meant to resume. {@code --job} is
 * the job id or a prefix of its name (the command line names its jobs PIPELINE-RUNNER-MILLIS); it can be
 * left out when a single job is running.
 */
final class ClusterJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  ClusterJobs(String flinkMaster) {
    String m = flinkMaster.trim().replaceFirst("/+$", "");
    if (m.isEmpty() || m.matches("\\[(local|auto|collection)\\]")) {
      throw new UsageException(
          "--flinkMaster=" + flinkMaster + " is not a cluster; give the JobManager's REST address, e.g."
              + " --flinkMaster=127.0.0.1:18081");
    }
    this.base = m.matches("^https?://.*") ? m : "http://" + m;
  }

  /** A running or finished job as the cluster lists it. */
  static final class Job {
    final String id;
    final String name;
    final String state;
    final long startTime;

    Job(String id, String name, String state, long startTime) {
      this.id = id;
      this.name = name;
      this.state = state;
      this.startTime = startTime;
    }
  }

  static int run(String command, List<String> args, PrintStream out) {
    String master = null;
    String savepointDir = null;
    String job = null;
    boolean drain = false;
    Duration timeout = Duration.ofMinutes(5);
    for (String a : args) {
      if (a.startsWith("--flinkMaster=")) {
        master = a.substring("--flinkMaster=".length());
      } else if (command.equals("stop") && a.startsWith("--savepointDir=")) {
        savepointDir = a.substring("--savepointDir=".length());
      } else if (command.equals("stop") && a.startsWith("--job=")) {
        job = a.substring("--job=".length());
      } else if (command.equals("stop") && a.equals("--drain")) {
        drain = true;
      } else if (command.equals("stop") && a.startsWith("--timeout=")) {
        try {
          timeout = Duration.parse(a.substring("--timeout=".length()));
        } catch (RuntimeException e) {
          throw new UsageException(a + " is not a duration; allowed: ISO-8601, e.g. --timeout=PT5M");
        }
      } else {
        throw new UsageException(
            "unknown option " + a + " for " + command + "; allowed: --flinkMaster=HOST:PORT"
                + (command.equals("stop") ? ", --savepointDir=DIR, --job=ID|NAME, --drain, --timeout=PT5M" : ""));
      }
    }
    if (master == null) {
      throw new UsageException(command + " needs --flinkMaster=HOST:PORT (the cluster's REST address)");
    }
    ClusterJobs cluster = new ClusterJobs(master);
    if (command.equals("jobs")) {
      List<Job> jobs = cluster.jobs();
      if (jobs.isEmpty()) {
        out.println("no jobs on " + cluster.base);
      }
      for (Job j : jobs) {
        out.printf(Locale.ROOT, "%s  %-9s %s  (since %s)%n", j.id, j.state, j.name, java.time.Instant.ofEpochMilli(j.startTime));
      }
      return 0;
    }
    if (savepointDir == null || savepointDir.isBlank()) {
      throw new UsageException("stop needs --savepointDir=DIR (where the savepoint is written)");
    }
    Job target = cluster.running(job);
    String dir = savepointDir.contains("://") ? savepointDir : Paths.get(savepointDir).toAbsolutePath().toUri().toString();
    out.println("stopping " + target.name + " (" + target.id + ") with a savepoint under " + dir + " ...");
    long t0 = System.nanoTime();
    String path = cluster.stopWithSavepoint(target.id, dir, drain, timeout);
    out.printf(Locale.ROOT, "savepoint: %s (%.1f s)%n", path, (System.nanoTime() - t0) / 1e9);
    out.println("resume: scripts/run PIPELINE ... --flinkMaster=" + master + " --savepointPath=" + path);
    return 0;
  }

  /**
   * One line for a run without {@code --metricsPort} (that option prints its own line, with the engine's UI):
   * where the engine's web UI and the counters of the job can be watched while it runs; null for Direct.
   */
  static String whereToLook(Engines engine, org.apache.beam.sdk.options.PipelineOptions options) {
    switch (engine) {
      case FLINK:
        {
          String master = options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getFlinkMaster();
          if (master != null && Engines.isCluster(engine, master)) {
            return "watch: Flink web UI http://" + master.replaceFirst("^https?://", "") + " (jobs, checkpoints,"
                + " the streams counters under each task's Metrics); Prometheus: the cluster's reporters"
                + " (scripts/cluster flink status lists them)";
          }
          return "watch: the embedded Flink has no web UI (flink-runtime-web is not on the classpath);"
              + " --metricsPort=0 serves the counters in Prometheus text format";
        }
      case SPARK:
        {
          String master = options.as(org.apache.beam.runners.spark.SparkPipelineOptions.class).getSparkMaster();
          String ui = "Spark UI http://127.0.0.1:4040 (the driver's; the next free port if taken)";
          if (master != null && Engines.isCluster(engine, master)) {
            ui += ", the master's web UI (scripts/cluster spark status prints it)";
          }
          return "watch: " + ui + "; --metricsPort=0 serves the counters in Prometheus text format";
        }
      default:
        return null;
    }
  }

  List<Job> jobs() {
    JsonNode overview = get("/jobs/overview");
    List<Job> jobs = new ArrayList<>();
    for (JsonNode j : overview.path("jobs")) {
      jobs.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText(), j.path("start-time").asLong()));
    }
    return jobs;
  }

  /** The running job with this id or name prefix; the only running one when {@code which} is null. */
  Job running(String which) {
    List<Job> matches = new ArrayList<>();
    List<String> running = new ArrayList<>();
    for (Job j : jobs()) {
      if (!j.state.equals("RUNNING")) {
        continue;
      }
      running.add(j.id + " " + j.name);
      if (which == null || j.id.equals(which) || j.name.startsWith(which)) {
        matches.add(j);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new UsageException(
          "no running job" + (which == null ? "" : " " + which) + " on " + base
              + (running.isEmpty() ? "" : "; running: " + String.join(", ", running)));
    }
    throw new UsageException("several running jobs match; choose one with --job=ID: " + String.join(", ", running));
  }

  /** Flink's stop-with-savepoint; returns the savepoint's location once it is written. */
  String stopWithSavepoint(String jobId, String targetDirectory, boolean drain, Duration timeout) {
    String body =
        JSON.createObjectNode()
            .put("targetDirectory", targetDirectory)
            .put("drain", drain)
            .toString();
    JsonNode trigger = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop")).POST(HttpRequest.BodyPublishers.ofString(body)));
    String requestId = trigger.path("request-id").asText(null);
    if (requestId == null) {
      throw new JobFailedException("the cluster did not accept the stop: " + trigger);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + jobId + "/savepoints/" + requestId);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode op = status.path("operation");
        if (op.has("location")) {
          return op.path("location").asText();
        }
        JsonNode cause = op.path("failure-cause");
        String why = cause.path("stack-trace").asText(cause.toString()).lines().findFirst().orElse("unknown");
        throw new JobFailedException("stop with savepoint failed: " + why);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobFailedException("interrupted while waiting for the savepoint");
      }
    }
    throw new JobFailedException("the savepoint was not written within " + timeout + " (job " + jobId + ")");
  }

  /**
   * The fingerprint of the project's jar a Flink cluster started by {@code scripts/cluster} holds on its
   * classpath ({@code portable-streams.preloaded-jar} in its configuration), or null: another cluster, an
   * older one, or no answer within a second (the job then stages its jar as usual).
   */
  static String preloadedJar(String flinkMaster) {
    try {
      ClusterJobs cluster = new ClusterJobs(flinkMaster);
      HttpResponse<String> response =
          cluster.http.send(
              HttpRequest.newBuilder(cluster.uri("/jobmanager/config")).timeout(Duration.ofSeconds(1)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        for (JsonNode entry : JSON.readTree(response.body())) {
          if (entry.path("key").asText().equals("portable-streams.preloaded-jar")) {
            return entry.path("value").asText();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not a cluster of scripts/cluster, or not reachable: the submission itself will say so.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpRequest r = request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").build();
    try {
      HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
      if (response.statusCode() >= 400) {
        throw new JobFailedException(
            r.method() + " " + r.uri() + ": HTTP " + response.statusCode() + " " + json.path("errors"));
      }
      return json;
    } catch (IOException e) {
      throw new JobFailedException("cannot reach the Flink cluster at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobFailedException("interrupted");
    }
  }
}
