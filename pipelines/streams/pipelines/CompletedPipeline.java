package streams.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import streams.io.Results;
import streams.model.OrderMetric;
import streams.transforms.FilterCompletedOrders;
import streams.transforms.ParseEvents;

/**
 * {@code completed}: every order with status {@code COMPLETED} as an order metric, one JSON record each:
 * {@code {"order_id","user_id","amount","created_at"}}.
 *
 * <p>Stateless (filter + map): no window, no trigger, no lateness; every completed order comes out once,
 * whenever it arrives. The simplest check that the engines agree.
 *
 * <p>Example: {@code scripts/run completed --input=events.jsonl --output=out/completed}
 */
public final class CompletedPipeline {
  private CompletedPipeline() {}

  public interface Options extends StreamsOptions {}

  /** Reads (--source), computes, writes (--sink): the whole job. */
  public static void build(Pipeline pipeline, Options options) {
    Edges.readComputeWrite(pipeline, options, completed(options));
  }

  /** The business graph from JSON lines to order metrics and dead letters. */
  public static PTransform<PCollection<String>, Results<OrderMetric>> completed(Options options) {
    return new PTransform<PCollection<String>, Results<OrderMetric>>("Completed") {
      @Override
      public Results<OrderMetric> expand(PCollection<String> lines) {
        PCollectionTuple events =
            lines.apply("ParseEvents", ParseEvents.jsonLines().keeping(ParseEvents.ORDERS));
        PCollection<OrderMetric> metrics =
            events.get(ParseEvents.ORDERS).apply("FilterCompletedOrders", FilterCompletedOrders.create());
        return Results.of(metrics, events.get(ParseEvents.DEAD_LETTERS), OrderMetric.TYPE);
      }
    };
  }
}
