package streams.testing;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import streams.transforms.ParseEvents;

/** The project's counters ({@link ParseEvents#METRICS_NAMESPACE}) as a run reports them. */
public final class Counters {
  private Counters() {}

  /** The attempted value of counter {@code name}, summed over the steps that report it. */
  public static long of(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ParseEvents.METRICS_NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
