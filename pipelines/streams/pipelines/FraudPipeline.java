package streams.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import streams.io.Results;
import streams.model.FraudAlert;
import streams.transforms.DetectBursts;
import streams.transforms.Durations;
import streams.transforms.ParseEvents;

/**
 * {@code fraud}: per account, bursts of transactions in event time; one alert per transaction that is the
 * {@code --fraudThreshold}-th or later of its burst:
 * {@code {"account_id","tx_id","created_at","count","burst_start"}}.
 *
 * <p>Per {@code account_id}, transactions are taken in event-time order (ties by {@code tx_id}); a burst
 * opens at a transaction when no burst is open and covers {@code [t0, t0 + --fraudWindow)}; a transaction
 * at or after {@code t0 + --fraudWindow} opens a new burst. The answer does not depend on the order of
 * arrival: a transaction is decided only once the watermark has passed its time plus {@code
 * --allowedLateness}.
 *
 * <p>Lateness: a transaction at most {@code --allowedLateness} behind the watermark when it arrives is
 * processed in its place, as if on time (at the price of delaying every alert by that much); one further
 * behind is dropped and counted in {@code streams/late_dropped}. Default {@code PT0S}: alerts as soon as
 * the watermark proves the order; tolerance of disorder belongs to the source's watermark. Alerts are
 * stamped with their transaction's time. See {@link DetectBursts} for the state and timers.
 *
 * <p>Needs event-time timers: runners that cannot fire them in streaming refuse the pipeline there (see
 * the README); with files (batch) every runner gives the reference model's answer.
 *
 * <p>Example: {@code scripts/run fraud --input=events.jsonl --output=out/fraud --fraudThreshold=5
 * --fraudWindow=PT60S}
 */
public final class FraudPipeline {
  private FraudPipeline() {}

  public interface Options extends StreamsOptions {
    @Description("Alert on the N-th and later transactions of a burst.")
    @Default.Integer(5)
    int getFraudThreshold();

    void setFraudThreshold(int value);

    @Description("Length of a burst from its first transaction, ISO-8601.")
    @Default.String("PT60S")
    String getFraudWindow();

    void setFraudWindow(String value);

    @Description(
        "How far behind the watermark a transaction may arrive and still be processed in order (alerts"
            + " wait that long); later ones are dropped. ISO-8601.")
    @Default.String("PT0S")
    String getAllowedLateness();

    void setAllowedLateness(String value);
  }

  /** Reads (--source), computes, writes (--sink): the whole job. */
  public static void build(Pipeline pipeline, Options options) {
    Edges.readComputeWrite(pipeline, options, fraud(options));
  }

  /** The business graph from JSON lines to fraud alerts and dead letters. Validates the options. */
  public static PTransform<PCollection<String>, Results<FraudAlert>> fraud(Options options) {
    DetectBursts detect =
        DetectBursts.of(
                options.getFraudThreshold(),
                Durations.parsePositive("fraudWindow", options.getFraudWindow()))
            .withAllowedLateness(
                Durations.parseNonNegative("allowedLateness", options.getAllowedLateness()));
    return new PTransform<PCollection<String>, Results<FraudAlert>>("Fraud") {
      @Override
      public Results<FraudAlert> expand(PCollection<String> lines) {
        PCollectionTuple events =
            lines.apply("ParseEvents", ParseEvents.jsonLines().keeping(ParseEvents.TRANSACTIONS));
        PCollectionTuple detected = events.get(ParseEvents.TRANSACTIONS).apply("DetectBursts", detect);
        Results<FraudAlert> results =
            Results.of(
                detected.get(DetectBursts.ALERTS), events.get(ParseEvents.DEAD_LETTERS), FraudAlert.TYPE);
        // Bounded input has no late data: no late output to write.
        return lines.isBounded() == PCollection.IsBounded.BOUNDED
            ? results
            : results.withLate(detected.get(DetectBursts.LATE));
      }
    };
  }
}
