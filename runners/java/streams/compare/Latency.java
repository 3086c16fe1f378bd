package streams.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency percentiles (nearest-rank) of one streaming run. */
final class Latency {
  private Latency() {}

  static void fill(RunResult r, List<Double> millis) {
    r.latencySamples = (long) millis.size();
    if (millis.isEmpty()) {
      return;
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    r.latencyP50Millis = percentile(sorted, 50);
    r.latencyP95Millis = percentile(sorted, 95);
    r.latencyP99Millis = percentile(sorted, 99);
    r.latencyMaxMillis = sorted.get(sorted.size() - 1);
    List<Double> cdf = new ArrayList<>();
    cdf.add(sorted.get(0));
    for (int p = 1; p <= 100; p++) {
      cdf.add(percentile(sorted, p));
    }
    r.latencyPercentilesMillis = cdf;
  }

  /** Nearest rank: the smallest value with at least p% of the values at or below it. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
