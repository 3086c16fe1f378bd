package streams.io;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;
import streams.transforms.ParseEvents;

/**
 * The data-lake copy of the input ({@code --archive=DIR}): every valid event as Parquet, one folder and
 * schema per type — {@code DIR/orders}, {@code DIR/payments}, {@code DIR/transactions} (columns: the fields
 * of {@link Order}, {@link Payment}, {@link Transaction}, see {@link AvroRecords}). Invalid lines are
 * left out: the pipeline's own dead-letter output keeps them (and counts them; this step counts nothing, so
 * the {@code streams} metrics are not doubled).
 *
 * <p>An archive must not lose late events, so it is not cut by event-time windows: a bounded input is
 * written once at the end, an unbounded one in processing-time panes every {@code flushInterval}.
 *
 * <p>Apply it to the raw lines, next to the pipeline: {@code lines.apply("Archive",
 * ArchiveEvents.to(dir))}.
 */
public final class ArchiveEvents extends PTransform<PCollection<String>, PDone> {
  private static final TupleTag<Order> ORDERS = new TupleTag<Order>("orders") {};
  private static final TupleTag<Payment> PAYMENTS = new TupleTag<Payment>("payments") {};
  private static final TupleTag<Transaction> TRANSACTIONS = new TupleTag<Transaction>("transactions") {};

  private final String directory;
  private final Duration flushInterval;

  private ArchiveEvents(String directory, Duration flushInterval) {
    this.directory = directory;
    this.flushInterval = flushInterval;
  }

  public static ArchiveEvents to(String directory) {
    return new ArchiveEvents(directory, Duration.standardSeconds(10));
  }

  public ArchiveEvents withFlushInterval(Duration interval) {
    return new ArchiveEvents(directory, interval);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    PCollectionTuple events =
        lines.apply(
            "ParseValidEvents",
            ParDo.of(new SplitFn()).withOutputTags(ORDERS, TupleTagList.of(PAYMENTS).and(TRANSACTIONS)));
    String dir = directory.endsWith("/") ? directory : directory + "/";
    events
        .get(ORDERS)
        .setCoder(Order.TYPE.coder())
        .apply(
            "WriteOrders",
            WriteParquet.of(Order.TYPE, dir + "orders", "orders")
                .withFlushInterval(flushInterval));
    events
        .get(PAYMENTS)
        .setCoder(Payment.TYPE.coder())
        .apply(
            "WritePayments",
            WriteParquet.of(Payment.TYPE, dir + "payments", "payments")
                .withFlushInterval(flushInterval));
    events
        .get(TRANSACTIONS)
        .setCoder(Transaction.TYPE.coder())
        .apply(
            "WriteTransactions",
            WriteParquet.of(Transaction.TYPE, dir + "transactions", "transactions")
                .withFlushInterval(flushInterval));
    return PDone.in(lines.getPipeline());
  }

  static final class SplitFn extends DoFn<String, Order> {
    @ProcessElement
    public void process(@Element String line, @Timestamp Instant stamp, MultiOutputReceiver out) {
      Object event;
      try {
        event = EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        return; // the pipeline's dead-letter output keeps and counts it
      }
      if (ParseEvents.aheadOfSource(EventParser.eventTimeMillis(event), stamp) != null) {
        return; // likewise: rejected by the Kafka source as too far ahead of its partition
      }
      if (event instanceof Order) {
        out.get(ORDERS).output((Order) event);
      } else if (event instanceof Payment) {
        out.get(PAYMENTS).output((Payment) event);
      } else {
        out.get(TRANSACTIONS).output((Transaction) event);
      }
    }
  }
}
