package streams.cli;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import streams.transforms.ParseEvents;

/** A job's counters in the {@code streams} namespace, by name, summed over steps. */
final class JobCounters {
  private static volatile boolean metricsWarned;

  private JobCounters() {}

  static Map<String, Long> of(PipelineResult result) {
    Map<String, Long> values = new TreeMap<>();
    try {
      FlinkJobs flink = JobControl.flinkJob(result);
      MetricResults all = flink == null ? result.metrics() : flink.metrics();
      if (all == null) {
        return values;
      }
      MetricQueryResults metrics =
          all.queryMetrics(
              MetricsFilter.builder()
                  .addNameFilter(MetricNameFilter.inNamespace(ParseEvents.METRICS_NAMESPACE))
                  .build());
      for (MetricResult<Long> c : metrics.getCounters()) {
        values.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (RuntimeException e) {
      // A runner without metrics, or a job already torn down: the summary shows zeros.
      if (!metricsWarned) {
        metricsWarned = true;
        EngineLog.consoleErr()
            .println("note: the runner gives no metrics here (" + rootCause(e) + "); counts show 0");
      }
    }
    return values;
  }

  /** The innermost cause as {@code SimpleClassName: message}. */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
