package streams.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import streams.io.Results;
import streams.model.OrderPayment;
import streams.transforms.Durations;
import streams.transforms.JoinPaymentsToOrders;
import streams.transforms.ParseEvents;

/**
 * {@code join}: orders with their payments, an interval join on {@code order_id}. One record per order
 * and payment whose {@code paid_at - created_at} is within {@code [--joinLowerBound, --joinUpperBound]}
 * (default {@code [-PT10S, PT5M]}, bounds included):
 * {@code {"order_id","payment_id","user_id","order_amount","payment_amount","created_at","paid_at"}}.
 *
 * <p>Every order status joins. Several payments of an order, redelivered payments and payments that
 * arrive before their order are normal: each (order record, payment record) pair that matches gives one
 * result, as soon as its second record arrives (results are stamped with the later event time).
 *
 * <p>Lateness: a record more than {@code --allowedLateness} (default {@code PT10M}) behind the watermark
 * when it arrives is dropped and counted in {@code streams/late_dropped}; every other record is joined
 * with all its accepted partners, whatever the arrival order. Each buffered record is kept until the
 * watermark passes the end of its matching interval plus the allowed lateness, so the lateness costs
 * state, not latency. See {@link JoinPaymentsToOrders} for the state and timers.
 *
 * <p>Needs event-time timers: runners that cannot fire them in streaming refuse the pipeline there (see
 * the README); with files (batch) every runner gives the reference model's answer.
 *
 * <p>Example: {@code scripts/run join --input=events.jsonl --output=out/join --joinLowerBound=-PT10S
 * --joinUpperBound=PT5M}
 */
public final class JoinPipeline {
  private JoinPipeline() {}

  public interface Options extends StreamsOptions {
    @Description("Lower bound of paid_at - created_at, included, ISO-8601 (may be negative).")
    @Default.String("-PT10S")
    String getJoinLowerBound();

    void setJoinLowerBound(String value);

    @Description("Upper bound of paid_at - created_at, included, ISO-8601.")
    @Default.String("PT5M")
    String getJoinUpperBound();

    void setJoinUpperBound(String value);

    @Description(
        "How far behind the watermark an order or payment may arrive and still join; later ones are"
            + " dropped. ISO-8601.")
    @Default.String("PT10M")
    String getAllowedLateness();

    void setAllowedLateness(String value);
  }

  /** Reads (--source), computes, writes (--sink): the whole job. */
  public static void build(Pipeline pipeline, Options options) {
    Edges.readComputeWrite(pipeline, options, join(options));
  }

  /** The business graph from JSON lines to joined pairs and dead letters. Validates the options. */
  public static PTransform<PCollection<String>, Results<OrderPayment>> join(Options options) {
    JoinPaymentsToOrders joinFn =
        JoinPaymentsToOrders.between(
                Durations.parse("joinLowerBound", options.getJoinLowerBound()),
                Durations.parse("joinUpperBound", options.getJoinUpperBound()))
            .withAllowedLateness(
                Durations.parseNonNegative("allowedLateness", options.getAllowedLateness()));
    return new PTransform<PCollection<String>, Results<OrderPayment>>("Join") {
      @Override
      public Results<OrderPayment> expand(PCollection<String> lines) {
        PCollectionTuple events =
            lines.apply(
                "ParseEvents", ParseEvents.jsonLines().keeping(ParseEvents.ORDERS, ParseEvents.PAYMENTS));
        PCollectionTuple joined =
            PCollectionTuple.of(ParseEvents.ORDERS, events.get(ParseEvents.ORDERS))
                .and(ParseEvents.PAYMENTS, events.get(ParseEvents.PAYMENTS))
                .apply("JoinPaymentsToOrders", joinFn);
        Results<OrderPayment> results =
            Results.of(
                joined.get(JoinPaymentsToOrders.MATCHES),
                events.get(ParseEvents.DEAD_LETTERS),
                OrderPayment.TYPE);
        // Bounded input has no late data: no late output to write.
        return lines.isBounded() == PCollection.IsBounded.BOUNDED
            ? results
            : results.withLate(joined.get(JoinPaymentsToOrders.LATE));
      }
    };
  }
}
