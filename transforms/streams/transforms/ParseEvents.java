package streams.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import streams.model.DeadLetter;
import streams.model.EventParser;
import streams.model.Json;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;

/**
 * Parses JSON Lines into typed events, one output per event type, and a dead-letter output for every line
 * that is not a valid event ({@code {"raw","error"}}). Nothing is lost: each input line is a dead letter, an
 * event in its type's output, or a valid event of a type the pipeline does not read ({@link #keeping}); the
 * {@code streams} metrics {@code events_in}, {@code events_parsed}, {@code dead_letters} and {@code
 * events_not_read} count them.
 *
 * <p>{@link #keeping} names the event types a pipeline reads: the others are parsed (a malformed line of any
 * type is a dead letter) and counted, not emitted. An unread output would still be materialised by some
 * runners, encoded and cached with the outputs that are read (docs/performance.md, change 10).
 *
 * <p>Each event is stamped with its own event time ({@code created_at} or {@code paid_at}). Sources must
 * therefore hand in elements whose timestamp is not later than the event time (files carry the minimum
 * timestamp; the Kafka source stamps records with the event time itself). A source stamps an element
 * earlier than its event time only to reject it: the Kafka source does so for an event too far ahead of its
 * partition ({@code --maxEventTimeJump}, {@code streams.io.EventTimePolicy}), and such an event, valid
 * otherwise, is a dead letter here ({@link #aheadOfSource}).
 */
public final class ParseEvents extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final String METRICS_NAMESPACE = MetricNames.NAMESPACE;

  /** Valid events not used because later than allowed lateness (each written to the late output). */
  public static final String LATE_DROPPED = MetricNames.LATE_DROPPED;

  public static final TupleTag<Order> ORDERS = new TupleTag<Order>("orders") {};
  public static final TupleTag<Payment> PAYMENTS = new TupleTag<Payment>("payments") {};
  public static final TupleTag<Transaction> TRANSACTIONS = new TupleTag<Transaction>("transactions") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>("dead-letters") {};

  private static final List<TupleTag<?>> EVENT_TYPES = List.of(ORDERS, PAYMENTS, TRANSACTIONS);

  private final List<TupleTag<?>> kept;

  private ParseEvents(List<TupleTag<?>> kept) {
    this.kept = kept;
  }

  /** Every event type in its output. */
  public static ParseEvents jsonLines() {
    return new ParseEvents(EVENT_TYPES);
  }

  /**
   * Only these event types in outputs (and the dead letters); asking the result for another type's output
   * is an error when the pipeline is built.
   */
  public ParseEvents keeping(TupleTag<?>... types) {
    List<TupleTag<?>> chosen = new ArrayList<>();
    for (TupleTag<?> type : types) {
      if (!EVENT_TYPES.contains(type)) {
        throw new IllegalArgumentException(type.getId() + " is not an event type; allowed: " + EVENT_TYPES);
      }
      if (!chosen.contains(type)) {
        chosen.add(type);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("keeping() needs at least one event type");
    }
    return new ParseEvents(List.copyOf(chosen));
  }

  @Override
  public PCollectionTuple expand(PCollection<String> lines) {
    PCollectionTuple parsed =
        lines.apply(
            "ParseJsonLines",
            ParDo.of(new ParseFn(kept.contains(ORDERS), kept.contains(PAYMENTS), kept.contains(TRANSACTIONS)))
                .withOutputTags(DEAD_LETTERS, TupleTagList.of(kept)));
    if (kept.contains(ORDERS)) {
      parsed.get(ORDERS).setCoder(Order.TYPE.coder());
    }
    if (kept.contains(PAYMENTS)) {
      parsed.get(PAYMENTS).setCoder(Payment.TYPE.coder());
    }
    if (kept.contains(TRANSACTIONS)) {
      parsed.get(TRANSACTIONS).setCoder(Transaction.TYPE.coder());
    }
    parsed.get(DEAD_LETTERS).setCoder(DeadLetter.TYPE.coder());
    return parsed;
  }

  /**
   * Null when an event at {@code eventTimeMillis} may carry the element timestamp {@code stamp} its source
   * gave it; otherwise why not: the source stamped it earlier than its own time, which the Kafka source
   * does to an event too far ahead of its partition's event time (files carry the minimum timestamp).
   */
  public static String aheadOfSource(long eventTimeMillis, Instant stamp) {
    if (!stamp.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE) || eventTimeMillis <= stamp.getMillis()) {
      return null;
    }
    return "event time " + Json.instant(eventTimeMillis) + " is "
        + Duration.millis(eventTimeMillis - stamp.getMillis()) + " ahead of its partition's event time "
        + Json.instant(stamp.getMillis()) + ", more than --maxEventTimeJump allows";
  }

  static final class ParseFn extends DoFn<String, DeadLetter> {
    private final Counter eventsIn = Metrics.counter(MetricNames.NAMESPACE, MetricNames.EVENTS_IN);
    private final Counter parsedEvents = Metrics.counter(MetricNames.NAMESPACE, MetricNames.EVENTS_PARSED);
    private final Counter deadLetters = Metrics.counter(MetricNames.NAMESPACE, MetricNames.DEAD_LETTERS);
    private final Counter notRead = Metrics.counter(MetricNames.NAMESPACE, MetricNames.EVENTS_NOT_READ);
    private final boolean orders;
    private final boolean payments;
    private final boolean transactions;

    ParseFn(boolean orders, boolean payments, boolean transactions) {
      this.orders = orders;
      this.payments = payments;
      this.transactions = transactions;
    }

    @ProcessElement
    public void process(@Element String line, @Timestamp Instant stamp, MultiOutputReceiver out) {
      eventsIn.inc();
      LinesParsed.count(line);
      Object event;
      try {
        event = EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        deadLetters.inc();
        out.get(DEAD_LETTERS).output(DeadLetter.of(line, e.getMessage()));
        return;
      }
      String ahead = aheadOfSource(EventParser.eventTimeMillis(event), stamp);
      if (ahead != null) {
        deadLetters.inc();
        out.get(DEAD_LETTERS).output(DeadLetter.of(line, ahead));
        return;
      }
      parsedEvents.inc();
      if (event instanceof Order) {
        if (orders) {
          Order order = (Order) event;
          out.get(ORDERS).outputWithTimestamp(order, new Instant(order.createdAtMillis()));
          return;
        }
      } else if (event instanceof Payment) {
        if (payments) {
          Payment payment = (Payment) event;
          out.get(PAYMENTS).outputWithTimestamp(payment, new Instant(payment.paidAtMillis()));
          return;
        }
      } else if (transactions) {
        Transaction tx = (Transaction) event;
        out.get(TRANSACTIONS).outputWithTimestamp(tx, new Instant(tx.createdAtMillis()));
        return;
      }
      notRead.inc();
    }
  }
}
