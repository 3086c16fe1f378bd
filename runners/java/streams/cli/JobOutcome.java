package streams.cli;

import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/** How a job ended: its state, why the command line ended it (empty if it ended by itself), its counters. */
final class JobOutcome {
  final PipelineResult result;
  final PipelineResult.State state;
  /** Empty when the job ended by itself, else e.g. {@code " (drained: idle for PT15S)"}. */
  final String ending;
  final Map<String, Long> counters;

  JobOutcome(PipelineResult result, PipelineResult.State state, String ending, Map<String, Long> counters) {
    this.result = result;
    this.state = state;
    this.ending = ending;
    this.counters = counters;
  }

  /** Exit code 0 for a job that finished, or that the command line ended on purpose. */
  int exitCode() {
    return state == PipelineResult.State.DONE || !ending.isEmpty() ? 0 : 1;
  }

  /** The state the runner reports after the job ended (a detached Flink job: as last seen). */
  static PipelineResult.State finalState(PipelineResult result) {
    FlinkJobs flink = JobControl.flinkJob(result);
    if (flink != null && flink.endState() != null) {
      return flink.endState();
    }
    try {
      return result.getState();
    } catch (RuntimeException e) {
      return PipelineResult.State.UNKNOWN;
    }
  }
}
