package streams.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import streams.pipelines.StreamingProbe.Appended;

/**
 * What the streaming comparison measures, on literal records with known append times: the latency of each
 * result, the final answer of a stream of panes, and the orders a run's answer left uncounted.
 */
class LatencyProbesTest {
  private static String order(String id, String user, String amount, String createdAt) {
    return "{\"type\":\"order\",\"order_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"amount\":" + amount
        + ",\"status\":\"COMPLETED\",\"created_at\":\"" + createdAt + "\"}";
  }

  private static String pane(String user, String start, String end, int count, String total, String timing, int index) {
    return "{\"user_id\":\"" + user + "\",\"window_start\":\"" + start + "\",\"window_end\":\"" + end
        + "\",\"order_count\":" + count + ",\"total_amount\":" + total + ",\"timing\":\"" + timing
        + "\",\"pane_index\":" + index + ",\"is_final\":false}";
  }

  private static final List<Appended> INPUT =
      List.of(
          new Appended(order("o-1", "u-1", "10.00", "2026-01-15T10:00:10Z"), 1_000),
          new Appended("not json", 1_100),
          new Appended(order("o-2", "u-1", "5.50", "2026-01-15T10:00:50Z"), 2_000),
          // reaches 10:01:05, the first window's end (10:01:00) plus a 5 s bound
          new Appended(order("o-3", "u-2", "1.25", "2026-01-15T10:01:05Z"), 3_000),
          new Appended(order("o-4", "u-2", "2.00", "2026-01-15T10:01:30Z"), 4_000));

  @Test
  void completedLatencyIsResultAppendMinusItsOrdersAppend() {
    List<Appended> results =
        List.of(
            new Appended("{\"order_id\":\"o-1\",\"user_id\":\"u-1\"}", 1_250),
            new Appended("{\"order_id\":\"o-3\",\"user_id\":\"u-2\"}", 3_900),
            new Appended("{\"order_id\":\"o-9\",\"user_id\":\"u-9\"}", 5_000)); // not in the input: no figure
    assertEquals(List.of(250.0, 900.0), LatencyProbes.COMPLETED.latencies(INPUT, results, 5_000));
  }

  @Test
  void revenueLatencyCountsFromTheMomentTheWindowCouldClose() {
    List<Appended> results =
        List.of(
            new Appended(pane("u-1", "2026-01-15T10:00:00.000Z", "2026-01-15T10:01:00.000Z", 2, "15.50", "ON_TIME", 0), 3_400),
            new Appended(pane("u-1", "2026-01-15T10:00:00.000Z", "2026-01-15T10:01:00.000Z", 1, "10.00", "EARLY", 0), 1_500),
            // its window (10:02) is never reached by the input: left out
            new Appended(pane("u-2", "2026-01-15T10:01:00.000Z", "2026-01-15T10:02:00.000Z", 2, "3.25", "ON_TIME", 0), 9_000));
    assertEquals(List.of(400.0), LatencyProbes.REVENUE.latencies(INPUT, results, 5_000));
    assertEquals(1_768_471_210_000L, LatencyProbes.eventTime(INPUT.get(0).value()));
    assertNull(LatencyProbes.eventTime("not json"));
  }

  @Test
  void revenuesFinalAnswerIsTheLastPaneOfEachWindowAndCountsEveryOrder() {
    List<String> panes =
        List.of(
            pane("u-1", "2026-01-15T10:00:00.000Z", "2026-01-15T10:01:00.000Z", 1, "10.00", "EARLY", 0),
            pane("u-1", "2026-01-15T10:00:00.000Z", "2026-01-15T10:01:00.000Z", 2, "15.50", "ON_TIME", 1),
            pane("u-2", "2026-01-15T10:01:00.000Z", "2026-01-15T10:02:00.000Z", 2, "3.25", "ON_TIME", 0));
    List<String> answer = LatencyProbes.REVENUE.finalAnswer(panes);
    assertEquals(
        List.of(
            "{\"user_id\":\"u-1\",\"window_start\":\"2026-01-15T10:00:00.000Z\",\"window_end\":\"2026-01-15T10:01:00.000Z\","
                + "\"order_count\":2,\"total_amount\":15.50,\"timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":true}",
            "{\"user_id\":\"u-2\",\"window_start\":\"2026-01-15T10:01:00.000Z\",\"window_end\":\"2026-01-15T10:02:00.000Z\","
                + "\"order_count\":2,\"total_amount\":3.25,\"timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":true}"),
        answer);
    assertEquals(0L, LatencyProbes.REVENUE.uncounted(INPUT, panes));
    assertEquals(2L, LatencyProbes.REVENUE.uncounted(INPUT, panes.subList(0, 2)));
  }
}
