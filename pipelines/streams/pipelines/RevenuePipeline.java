package streams.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import streams.io.ResultSchemas;
import streams.io.Results;
import streams.model.UserRevenue;
import streams.transforms.Durations;
import streams.transforms.OutputMode;
import streams.transforms.ParseEvents;
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
 *       pane (accumulated total) for each late order within {@code --allowedLateness}; later orders are
 *       dropped.
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
  }

  /** Reads (--source), computes, writes (--sink): the whole job. */
  public static void build(Pipeline pipeline, Options options) {
    Edges.readComputeWrite(pipeline, options, revenue(options), ResultSchemas.USER_REVENUE);
  }

  /** The business graph from JSON lines to revenue panes and dead letters. Validates the options. */
  public static PTransform<PCollection<String>, Results<UserRevenue>> revenue(Options options) {
    SumRevenuePerUser sum =
        SumRevenuePerUser.inWindowsOf(Durations.parsePositive("window", options.getWindow()))
            .withAllowedLateness(
                Durations.parseNonNegative("allowedLateness", options.getAllowedLateness()))
            .withMode(
                OutputMode.parse(options.getTrigger()),
                Durations.parsePositive("earlyFiring", options.getEarlyFiring()));
    return new PTransform<PCollection<String>, Results<UserRevenue>>("Revenue") {
      @Override
      public Results<UserRevenue> expand(PCollection<String> lines) {
        PCollectionTuple events =
            lines.apply("ParseEvents", ParseEvents.jsonLines().keeping(ParseEvents.ORDERS));
        PCollection<UserRevenue> revenue =
            events.get(ParseEvents.ORDERS).apply("SumRevenuePerUser", sum);
        return Results.of(revenue, events.get(ParseEvents.DEAD_LETTERS), UserRevenue::toJson);
      }
    };
  }
}
