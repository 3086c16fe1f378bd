package streams.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import streams.pipelines.LatencyProbes;

class LatencyTest {
  @Test
  void nearestRankPercentiles() {
    List<Double> ms = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      ms.add((double) i);
    }
    RunResult r = new RunResult();
    Latency.fill(r, ms);
    assertEquals(100L, (long) r.latencySamples);
    assertEquals(50.0, r.latencyP50Millis, 0);
    assertEquals(95.0, r.latencyP95Millis, 0);
    assertEquals(99.0, r.latencyP99Millis, 0);
    assertEquals(100.0, r.latencyMaxMillis, 0);
    assertEquals(101, r.latencyPercentilesMillis.size());
    assertEquals(1.0, r.latencyPercentilesMillis.get(0), 0);
  }

  @Test
  void noSamplesNoFigures() {
    RunResult r = new RunResult();
    Latency.fill(r, List.of());
    assertEquals(0L, (long) r.latencySamples);
    assertEquals(null, r.latencyP99Millis);
  }

  @Test
  void lastRevenuePaneWinsAndKeepsExactDecimals() throws Exception {
    List<String> panes =
        List.of(
            "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T00:00:00.000Z\",\"window_end\":\"2026-01-15T01:00:00.000Z\",\"order_count\":1,\"total_amount\":10.50,\"timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":false}",
            "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T00:00:00.000Z\",\"window_end\":\"2026-01-15T01:00:00.000Z\",\"order_count\":2,\"total_amount\":21.00,\"timing\":\"LATE\",\"pane_index\":1,\"is_final\":false}");
    assertEquals(
        List.of(
            "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T00:00:00.000Z\",\"window_end\":\"2026-01-15T01:00:00.000Z\",\"order_count\":2,\"total_amount\":21.00,\"timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":true}"),
        LatencyProbes.REVENUE.finalAnswer(panes));
  }

  @Test
  void summaryLineOfThisVersion() {
    var m = ChildRun.SUMMARY.matcher(
        "revenue on flink: DONE (drained: idle for PT15S), 20 events in, 5 results out, 1 dead letters, 2 late, 36.0 s");
    assertEquals(true, m.matches());
    assertEquals("DONE", m.group(3));
    assertEquals("2", m.group(7));
  }

  @Test
  void summaryLineWithAndWithoutCounts() {
    var m = ChildRun.SUMMARY.matcher(
        "revenue on spark: CANCELLED (stopped: idle for PT15S), 20 events in, 5 results out, 1 dead letters, 2 late dropped, 36.0 s");
    assertEquals(true, m.matches());
    assertEquals("CANCELLED", m.group(3));
    assertEquals("2", m.group(7));
    m = ChildRun.SUMMARY.matcher(
        "completed on flink: CANCELLED (stopped: idle for PT15S), no counts (the runner reports no metrics for this job), 21.1 s");
    assertEquals(true, m.matches());
    assertEquals(null, m.group(4));
    assertEquals("21.1", m.group(8));
  }
}
