package streams.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import streams.model.DeadLetter;
import streams.model.EventCoders;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;

/**
 * Parses JSON Lines into typed events, one output per event type, and a dead-letter output for every line
 * that is not a valid event ({@code {"raw","error"}}). Nothing is dropped: each input line lands in
 * exactly one output, and the {@code streams} metrics {@code events_in}, {@code events_parsed} and {@code
 * dead_letters} count them.
 *
 * <p>Each event is stamped with its own event time ({@code created_at} or {@code paid_at}). Sources must
 * therefore hand in elements whose timestamp is not later than the event time (files carry the minimum
 * timestamp; the Kafka source stamps records with the event time itself).
 */
public final class ParseEvents extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final String METRICS_NAMESPACE = "streams";

  public static final TupleTag<Order> ORDERS = new TupleTag<Order>("orders") {};
  public static final TupleTag<Payment> PAYMENTS = new TupleTag<Payment>("payments") {};
  public static final TupleTag<Transaction> TRANSACTIONS = new TupleTag<Transaction>("transactions") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>("dead-letters") {};

  private ParseEvents() {}

  public static ParseEvents jsonLines() {
    return new ParseEvents();
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "ParseJsonLines",
            ParDo.of(new ParseFn())
                .withOutputTags(ORDERS, TupleTagList.of(PAYMENTS).and(TRANSACTIONS).and(DEAD_LETTERS)));
    parsed.get(ORDERS).setCoder(EventCoders.OrderCoder.of());
    parsed.get(PAYMENTS).setCoder(EventCoders.PaymentCoder.of());
    parsed.get(TRANSACTIONS).setCoder(EventCoders.TransactionCoder.of());
    parsed.get(DEAD_LETTERS).setCoder(EventCoders.DeadLetterCoder.of());
    return parsed;
  }

  static final class ParseFn extends DoFn<String, Order> {
    private final Counter eventsIn = Metrics.counter(METRICS_NAMESPACE, "events_in");
    private final Counter parsedEvents = Metrics.counter(METRICS_NAMESPACE, "events_parsed");
    private final Counter deadLetters = Metrics.counter(METRICS_NAMESPACE, "dead_letters");

    @ProcessElement
    public void process(@Element String line, MultiOutputReceiver out) {
      eventsIn.inc();
      Object event;
      try {
        event = EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        deadLetters.inc();
        out.get(DEAD_LETTERS).output(new DeadLetter(line, e.getMessage()));
        return;
      }
      parsedEvents.inc();
      if (event instanceof Order) {
        Order order = (Order) event;
        out.get(ORDERS).outputWithTimestamp(order, new Instant(order.getCreatedAtMillis()));
      } else if (event instanceof Payment) {
        Payment payment = (Payment) event;
        out.get(PAYMENTS).outputWithTimestamp(payment, new Instant(payment.getPaidAtMillis()));
      } else {
        Transaction tx = (Transaction) event;
        out.get(TRANSACTIONS).outputWithTimestamp(tx, new Instant(tx.getCreatedAtMillis()));
      }
    }
  }
}
