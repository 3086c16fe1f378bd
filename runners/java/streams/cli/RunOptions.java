package streams.cli;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How long the command line lets a streaming job run. A job reading Kafka unbounded never finishes by
 * itself; with these options it is stopped once it has run long enough or has gone quiet, and the run
 * summary is printed. Without them it runs until Ctrl-C. Stopping drains by default ({@code --stop}).
 */
public interface RunOptions extends PipelineOptions {
  @Description(
      "Streaming: cancel the job after this long (ISO-8601, e.g. PT2M), then print the summary."
          + " Default: run until stopped.")
  String getStopAfter();

  void setStopAfter(String value);

  @Description(
      "Streaming: cancel the job once it has read at least one event and neither events in, results out nor"
          + " dead letters have changed for this long (ISO-8601, e.g. PT15S).")
  String getStopWhenIdle();

  void setStopWhenIdle(String value);

  @Description(
      "How --stopAfter, --stopWhenIdle and Ctrl-C end a streaming Kafka job: drain (default: the sources"
          + " finish at what the topics hold, every open window, fraud buffer and join buffer emits what it"
          + " must, then the job ends) or cancel (stop at once; open state is lost).")
  @org.apache.beam.sdk.options.Default.String("drain")
  String getStop();

  void setStop(String value);

  @Description("--stop=drain: cancel the job if it has not drained within this long (ISO-8601).")
  @org.apache.beam.sdk.options.Default.String("PT2M")
  String getDrainTimeout();

  void setDrainTimeout(String value);

  @Description(
      "Serve the job's Beam counters (namespace streams) in Prometheus text format at"
          + " http://127.0.0.1:PORT/metrics while it runs, e.g. streams_events_in_total{pipeline=...,runner=...};"
          + " 0 picks a free port. Default: no endpoint.")
  Integer getMetricsPort();

  void setMetricsPort(Integer value);

  @Description(
      "With --metricsPort: once the job has ended, keep the endpoint until its final counts have been scraped"
          + " once, at most this long (ISO-8601, e.g. PT30S). Default: stop at once.")
  String getMetricsLinger();

  void setMetricsLinger(String value);

  @Description(
      "Spark cluster: fail the run when no executor has registered with the driver this long after the job"
          + " started (ISO-8601), instead of waiting for ever for executors that die at start or never come.")
  @org.apache.beam.sdk.options.Default.String("PT1M")
  String getSparkExecutorTimeout();

  void setSparkExecutorTimeout(String value);
}
