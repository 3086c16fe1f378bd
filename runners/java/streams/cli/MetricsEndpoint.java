package streams.cli;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.joda.time.Duration;
import streams.pipelines.StreamsOptions;
import streams.transforms.Durations;
import streams.transforms.MetricNames;

/**
 * The Beam counters of a job run by {@code scripts/run}, in Prometheus text format, while it runs:
 * {@code --metricsPort=P} serves {@code http://127.0.0.1:P/metrics} ({@code 0}: a free port; without the
 * option there is no endpoint and nothing changes). Every counter of the {@code streams} namespace becomes
 * {@code streams_<name>_total{pipeline="revenue",runner="flink"}}; the four of the run summary (events in,
 * results out, dead letters, late dropped) are always there, at 0 until the runner reports them.
 *
 * <p>Each scrape asks the job for its counters, the way {@link Cli#counters} does for the summary (Beam's
 * attempted values): Direct and Spark through their result; Flink through the job's client, which a Flink
 * job listener hands over as soon as the job is submitted, for batch jobs too (whose {@code run()} returns
 * only at the end). Once the job has ended the endpoint serves the final counts until the command line
 * exits; {@code --metricsLinger=PT30S} holds the exit until they have been scraped once (at most that long),
 * so that a Prometheus server also records the end of a short job.
 *
 * <p>To get live values from batch jobs, the endpoint changes two engine settings, only when it is on:
 * the Direct runner returns from {@code run()} at once ({@code --blockOnRun=false}; the command line then
 * waits for the end), and an embedded or cluster Flink job gets a configuration folder naming the listener
 * ({@code execution.job-listeners}), unless {@code --flinkConfDir} or {@code FLINK_CONF_DIR} gives one
 * (then batch counters on Flink appear at the end only).
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** The counters of the run summary: served from the start, at 0 until reported. */
  static final List<String> SUMMARY_COUNTERS = MetricNames.SUMMARY;

  private static final MetricsEndpoint OFF = new MetricsEndpoint();

  /** The endpoint of the job being started, for {@link FlinkListener} (one job per command line). */
  private static volatile MetricsEndpoint current;

  private final HTTPServer server;
  private final ExecutorService handlers;
  private final String pipeline;
  private final String runner;
  private final PrintStream out;
  private final Duration linger;
  private final Thread announcer;
  private final CountDownLatch scrapedAfterEnd = new CountDownLatch(1);
  private volatile PipelineResult result;
  private volatile FlinkJobs flinkJob;
  private volatile String engineUi;
  private final AtomicBoolean announced = new AtomicBoolean();
  private Map<String, Long> last = Map.of();
  private boolean ended;

  private MetricsEndpoint() {
    this.server = null;
    this.handlers = null;
    this.pipeline = null;
    this.runner = null;
    this.out = null;
    this.linger = Duration.ZERO;
    this.announcer = null;
  }

  private MetricsEndpoint(String pipeline, Engines engine, int port, Duration linger, String engineUi, PrintStream out) {
    this.pipeline = pipeline;
    this.runner = engine.toString();
    this.out = out;
    this.linger = linger;
    this.engineUi = engineUi;
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register((MultiCollector) this::collect);
    this.handlers =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "metrics-endpoint");
              t.setDaemon(true);
              return t;
            });
    try {
      this.server =
          HTTPServer.builder()
              .hostname("127.0.0.1")
              .port(port)
              .registry(registry)
              .executorService(handlers)
              .buildAndStart();
    } catch (BindException e) {
      handlers.shutdownNow();
      throw new UsageException("--metricsPort=" + port + ": the port is in use (0 picks a free one)");
    } catch (IOException e) {
      handlers.shutdownNow();
      throw new UsageException("--metricsPort=" + port + ": cannot serve metrics: " + e.getMessage());
    }
    this.announcer = new Thread(() -> announceWhenKnown(engine), "metrics-endpoint-line");
    this.announcer.setDaemon(true);
  }

  /**
   * The endpoint of this run, started before the job is: off (every method does nothing) unless {@code
   * --metricsPort} is given. Prints one line with its address once the engine's UI is known.
   */
  public static MetricsEndpoint open(String pipeline, Engines engine, StreamsOptions options, PrintStream out) {
    RunOptions run = options.as(RunOptions.class);
    Integer port = run.getMetricsPort();
    if (port == null) {
      return OFF;
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--metricsPort=" + port + " is not a port; allowed: 0 (a free port) to 65535");
    }
    Duration linger;
    try {
      linger = run.getMetricsLinger() == null ? Duration.ZERO : Durations.parsePositive("metricsLinger", run.getMetricsLinger());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String ui = null;
    switch (engine) {
      case DIRECT:
        options.as(DirectOptions.class).setBlockOnRun(false);
        break;
      case FLINK:
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        if (Engines.isCluster(engine, flink.getFlinkMaster())) {
          ui = "Flink web UI: " + (flink.getFlinkMaster().contains("://") ? "" : "http://") + flink.getFlinkMaster();
        }
        if ((flink.getFlinkConfDir() == null || flink.getFlinkConfDir().isBlank())
            && System.getenv("FLINK_CONF_DIR") == null) {
          flink.setFlinkConfDir(listenerConfDir().toString());
        }
        break;
      default:
        break;
    }
    MetricsEndpoint endpoint = new MetricsEndpoint(pipeline, engine, port, linger, ui, out);
    current = endpoint;
    endpoint.announcer.start();
    return endpoint;
  }

  /** The job, once {@code run()} has returned (for Flink batch jobs: once they have ended). */
  public void watch(PipelineResult result) {
    this.result = result;
  }

  /** The address of the endpoint, e.g. {@code http://127.0.0.1:39123/metrics}; null when off. */
  public URI uri() {
    return server == null ? null : URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
  }

  /**
   * The job has ended: the endpoint takes the final counts, waits for them to be scraped if {@code
   * --metricsLinger} says so, and stops.
   */
  @Override
  public void close() {
    if (server == null) {
      return;
    }
    synchronized (this) {
      query();
      ended = true;
    }
    announcer.interrupt();
    announce();
    if (linger.getMillis() > 0) {
      out.printf(Locale.ROOT, "metrics: the final counts stay at %s until scraped (at most %s)%n", uri(), linger);
      try {
        scrapedAfterEnd.await(linger.getMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Let a scrape being answered finish writing before the server stops.
    handlers.shutdown();
    try {
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    if (current == this) {
      current = null;
    }
  }

  private synchronized MetricSnapshots collect() {
    Map<String, Long> counters = ended ? last : query();
    MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
    Labels labels = Labels.of("pipeline", pipeline, "runner", runner);
    Map<String, Long> all = new TreeMap<>();
    SUMMARY_COUNTERS.forEach(c -> all.put(c, 0L));
    all.putAll(counters);
    all.forEach(
        (name, value) ->
            snapshots.metricSnapshot(
                CounterSnapshot.builder()
                    .name(prometheusName(name))
                    .help("Beam counter " + MetricNames.NAMESPACE + "/" + name + " (attempted)")
                    .dataPoint(
                        CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build())
                    .build()));
    if (ended) {
      scrapedAfterEnd.countDown();
    }
    return snapshots.build();
  }

  /** {@code streams_<name>}; the text format adds {@code _total}. */
  static String prometheusName(String counter) {
    return MetricNames.NAMESPACE + "_" + counter.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The job's counters now, or the last ones seen when it answers none (it has ended or is starting). */
  private Map<String, Long> query() {
    Map<String, Long> now = Map.of();
    FlinkJobs flink = flinkJob;
    if (flink != null) {
      now = countersOf(flink.metrics());
    } else if (result != null) {
      now = Cli.counters(result);
    }
    if (!now.isEmpty()) {
      last = now;
    }
    return last;
  }

  private static Map<String, Long> countersOf(MetricResults metrics) {
    Map<String, Long> values = new TreeMap<>();
    if (metrics == null) {
      return values;
    }
    try {
      for (MetricResult<Long> c :
          metrics
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(MetricNames.NAMESPACE))
                      .build())
              .getCounters()) {
        values.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (RuntimeException e) {
      // The job is being torn down: the last counts seen stay.
    }
    return values;
  }

  // ---- the line that says where to look ----

  /** Waits (at most 10 s) for the engine's UI to be known, then prints the line. */
  private void announceWhenKnown(Engines engine) {
    long deadline = System.currentTimeMillis() + 10_000;
    try {
      while (engine != Engines.DIRECT && engineUi == null && System.currentTimeMillis() < deadline) {
        if (engine == Engines.SPARK) {
          engineUi = sparkUi();
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      return;
    }
    announce();
  }

  private void announce() {
    if (announced.getAndSet(true)) {
      return;
    }
    String ui = engineUi;
    if (ui == null && runner.equals("spark")) {
      ui = "no Spark UI found (spark.ui.enabled=false?)";
    }
    out.println("metrics: " + uri() + " (Prometheus text format)" + (ui == null ? "" : "; " + ui));
  }

  /** The driver's web UI (Spark local: http://host:4040 unless taken or disabled), null until it runs. */
  private static String sparkUi() {
    try {
      scala.Option<org.apache.spark.SparkContext> sc = org.apache.spark.SparkContext$.MODULE$.getActive();
      if (sc.isDefined() && sc.get().uiWebUrl().isDefined()) {
        return "Spark UI: " + sc.get().uiWebUrl().get();
      }
    } catch (RuntimeException | LinkageError e) {
      // No Spark context here.
    }
    return null;
  }

  /** The REST API of the embedded mini-cluster that runs {@code client}'s job, or null. */
  private static String flinkRest(JobClient client) {
    try {
      Field f = client.getClass().getDeclaredField("miniCluster");
      f.setAccessible(true);
      Object cluster = f.get(client);
      URI rest =
          ((org.apache.flink.runtime.minicluster.MiniCluster) cluster).getRestAddress().get(5, TimeUnit.SECONDS);
      boolean webUi =
          Thread.currentThread().getContextClassLoader().getResource("web/index.html") != null
              || MetricsEndpoint.class.getClassLoader().getResource("web/index.html") != null;
      return "Flink REST API: " + rest + (webUi ? " (web UI)" : " (no web UI: flink-runtime-web is not on the classpath)");
    } catch (Exception e) {
      return null;
    }
  }

  // ---- Flink: every job's client, batch jobs included ----

  /** A configuration folder whose only setting registers {@link FlinkListener} with Flink's environment. */
  private static Path listenerConfDir() {
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams", "flink-conf-metrics");
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("flink-conf.yaml"),
          "# Written by scripts/run --metricsPort: hands each Flink job's client to the metrics endpoint.\n"
              + "execution.job-listeners: " + FlinkListener.class.getName() + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot write " + dir + " for --metricsPort: " + e.getMessage());
    }
    return dir;
  }

  /**
   * Registered through {@code execution.job-listeners}; Flink creates it with no arguments and calls it on
   * the thread that submits the job, before a batch job's {@code execute()} waits for the end.
   */
  public static final class FlinkListener implements JobListener {
    @Override
    public void onJobSubmitted(JobClient client, Throwable error) {
      MetricsEndpoint endpoint = current;
      if (endpoint != null && client != null) {
        endpoint.flinkJob = FlinkJobs.ofClient(client);
        if (endpoint.engineUi == null) {
          endpoint.engineUi = flinkRest(client);
        }
      }
    }

    @Override
    public void onJobExecuted(JobExecutionResult result, Throwable error) {}
  }
}
