package streams.runners;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How long the command line lets a streaming job run. A job reading Kafka unbounded never finishes by
 * itself; with these options it is cancelled once it has run long enough or has gone quiet, and the run
 * summary is printed. Without them it runs until the process is stopped (Ctrl-C cancels the job).
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
}
