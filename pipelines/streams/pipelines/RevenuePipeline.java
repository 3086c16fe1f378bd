package streams.pipelines;

import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import streams.pipelines.PipelineDescriptor.Requirement;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import streams.io.Results;
import org.joda.time.Duration;
import streams.model.LateEvent;
import streams.model.Order;
import streams.model.UserRevenue;
import streams.transforms.Durations;
import streams.transforms.OutputMode;
import streams.transforms.ParseEvents;
import streams.transforms.RouteLateOrders;
import streams.transforms.SumRevenuePerUser;

/**
 * {@code revenue}: per user and tumbling event-time window, the number of orders and their exact total
 * (all statuses), one JSON record per pane:
 * {@code {"user_id","window_start","window_end","order_count","total_amount","timing","pane_index","is_final"}}.
 *
 * <p>Event time is the order's {@code created_at}. Panes, by {@code --trigger}:
 *
 * <ul>
 *   <li>{@code final} (default): one ON_TIME pane when the watermark passes the window's end, then a LATE
 *       pane (accumulated total) for each late order within {@code --allowedLateness}, then the closing
 *       pane, the only one with {@code is_final} true; later orders go to the late output
 *       ({@link RouteLateOrders}).
 *   <li>{@code update}: also EARLY panes every {@code --earlyFiring} of processing time while the window
 *       is open; every pane carries the accumulated total (upsert by user and window).
 *   <li>{@code complete}: {@code update} that never drops late data (unbounded allowed lateness), the
 *       closest Beam equivalent of a complete output mode (see the README).
 * </ul>
 *
 * With bounded input (files) every (user, window) appears exactly once, ON_TIME.
 *
 * <p>Example: {@code scripts/run revenue --input=events.jsonl --output=out/revenue
 * --window=PT1H}
 */
public final class RevenuePipeline {
  private RevenuePipeline() {}

  public interface Options extends StreamsOptions {
    @Description("Size of the tumbling event-time window, ISO-8601.")
    @Default.String("PT1H")
    String getWindow();

    void setWindow(String value);

    @Description("How long after the end of a window late orders still update it, ISO-8601.")
    @Default.String("PT10M")
    String getAllowedLateness();

    void setAllowedLateness(String value);

    @Description("Output mode: final, update or complete (see the README).")
    @Default.String("final")
    String getTrigger();

    void setTrigger(String value);

    @Description("Processing-time delay of EARLY panes in the update and complete modes, ISO-8601.")
    @Default.String("PT10S")
    String getEarlyFiring();

    void setEarlyFiring(String value);

    @Description(
        "Streaming: route orders later than --allowedLateness to the late output (DIR/late, --lateTopic)"
            + " instead of letting the window drop them. Needs event-time timers in streaming.")
    @Default.Boolean(true)
    Boolean getLateOutput();

    void setLateOutput(Boolean value);
  }

  /**
   * What a run needs of its runner: nothing in the complete mode (it re-emits whole windows and never drops
   * late data); otherwise closed windows that stay closed, and, to route late orders, event-time timers.
   */
  static Set<Requirement> requirements(Options options) {
    if (OutputMode.parse(options.getTrigger()) == OutputMode.COMPLETE) {
      return Set.of();
    }
    return Boolean.FALSE.equals(options.getLateOutput())
        ? Set.of(Requirement.CLOSED_WINDOWS_STAY_CLOSED)
        : Set.of(Requirement.CLOSED_WINDOWS_STAY_CLOSED, Requirement.EVENT_TIME_TIMERS);
  }

  /** Reads (--source), computes, writes (--sink): the whole job. */
  public static void build(Pipeline pipeline, Options options) {
    Edges.readComputeWrite(pipeline, options, revenue(options));
  }

  /** The business graph from JSON lines to revenue panes and dead letters. Validates the options. */
  public static PTransform<PCollection<String>, Results<UserRevenue>> revenue(Options options) {
    Duration window = Durations.parsePositive("window", options.getWindow());
    Duration lateness = Durations.parseNonNegative("allowedLateness", options.getAllowedLateness());
    OutputMode mode = OutputMode.parse(options.getTrigger());
    SumRevenuePerUser sum =
        SumRevenuePerUser.inWindowsOf(window)
            .withAllowedLateness(lateness)
            .withMode(mode, Durations.parsePositive("earlyFiring", options.getEarlyFiring()));
    // The complete mode never drops late data: nothing to route.
    boolean routeLate = mode != OutputMode.COMPLETE && !Boolean.FALSE.equals(options.getLateOutput());
    return new PTransform<PCollection<String>, Results<UserRevenue>>("Revenue") {
      @Override
      public Results<UserRevenue> expand(PCollection<String> lines) {
        PCollectionTuple events =
            lines.apply("ParseEvents", ParseEvents.jsonLines().keeping(ParseEvents.ORDERS));
        PCollection<Order> orders = events.get(ParseEvents.ORDERS);
        PCollection<LateEvent> late = null;
        if (routeLate && orders.isBounded() == PCollection.IsBounded.UNBOUNDED) {
          PCollectionTuple routed =
              orders.apply("RouteLateOrders", RouteLateOrders.forWindows(window, lateness));
          orders = routed.get(RouteLateOrders.ON_TIME);
          late = routed.get(RouteLateOrders.LATE);
        }
        PCollection<UserRevenue> revenue = orders.apply("SumRevenuePerUser", sum);
        Results<UserRevenue> results =
            Results.of(revenue, events.get(ParseEvents.DEAD_LETTERS), UserRevenue.TYPE);
        return late == null ? results : results.withLate(late);
      }
    };
  }
}
