package streams.cli;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What {@code scripts/run} shows on the console: its own lines (what runs, progress, summary, where the
 * results and the log are); the engines' log lines go to a log file ({@link EngineLog}).
 */
public interface ConsoleOptions extends PipelineOptions {
  @Description("Show the engines' log lines on the console too (they always go to the run's log file).")
  @Default.Boolean(false)
  boolean isVerbose();

  void setVerbose(boolean value);

  @Description(
      "Folder of the run's engine log, <pipeline>-<runner>-<time>.log. Default: logs next to the output"
          + " folder (output/logs for the default output/<pipeline>-<runner>).")
  String getLogDir();

  void setLogDir(String value);

  @Description("Batch runs: print a progress line (events read, rate, share of the input) this often (ISO-8601).")
  @Default.String("PT5S")
  String getProgressInterval();

  void setProgressInterval(String value);
}
