package streams.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import streams.model.Order;
import streams.model.LateEvent;
import streams.model.OrderPayment;
import streams.model.Payment;

/**
 * Interval join of orders with their payments (the reference document's {@code intervalJoin(...)
 * .between(-10 s, 5 min)}): for each order and each payment with the same {@code order_id} where {@code
 * paid_at - created_at} is within {@code [lower, upper]}, bounds included, one {@link OrderPayment}.
 *
 * <p>In: a tuple with {@link ParseEvents#ORDERS} and {@link ParseEvents#PAYMENTS}, each stamped with its
 * event time. Out: one result per matching (order, payment) pair, stamped with the later of the two event
 * times. It is an inner join of records, not of ids: several payments of an order, or several records
 * of the same payment (a redelivered payment), each give a result; a payment may arrive before its order.
 *
 * <p>How: a stateful DoFn keyed by {@code order_id} with a buffer per side ({@code BagState}). A record
 * is joined at arrival with the other side's buffer, then buffered until the watermark passes the end of
 * the interval in which it could still find a partner: {@code created_at + upper + allowedLateness} for an
 * order, {@code paid_at - lower + allowedLateness} for a payment. One event-time timer per key, set to
 * the earliest of those expiries, removes expired records (as Nexmark's Query3 cleans its join buffers);
 * when both buffers are empty the key holds no state. The timer holds no output watermark: results are
 * emitted at arrival, never from the timer.
 *
 * <p>Lateness, with {@code W} the input watermark when a record arrives: a record with {@code event time +
 * allowedLateness < W} is dropped and counted in the metric {@code streams/late_dropped}; every other record
 * is joined with every accepted partner, whatever the arrival order (the partner is still buffered, since
 * a buffer entry expires only when no acceptable record could still match it). So the output is exactly
 * the join of the accepted records; with bounded input nothing is late and it is the reference model's.
 */
public final class JoinPaymentsToOrders extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** The matches. */
  public static final TupleTag<OrderPayment> MATCHES = new TupleTag<OrderPayment>("matches") {};
  /** Orders and payments later than allowed lateness, with the watermark they were judged against. */
  public static final TupleTag<LateEvent> LATE = new TupleTag<LateEvent>("late") {};

  public static final String LATE_DROPPED = MetricNames.LATE_DROPPED;
  public static final String BUFFERED = MetricNames.JOIN_BUFFERED;
  public static final String EXPIRED = MetricNames.JOIN_EXPIRED;

  private final Duration lower;
  private final Duration upper;
  private final Duration allowedLateness;

  private JoinPaymentsToOrders(Duration lower, Duration upper, Duration allowedLateness) {
    if (lower.isLongerThan(upper)) {
      throw new IllegalArgumentException(
          "--joinLowerBound=" + lower + " must not be after --joinUpperBound=" + upper);
    }
    if (allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("--allowedLateness=" + allowedLateness + " must not be negative");
    }
    this.lower = lower;
    this.upper = upper;
    this.allowedLateness = allowedLateness;
  }

  /** Pairs where {@code paid_at - created_at} is within {@code [lower, upper]}, bounds included. */
  public static JoinPaymentsToOrders between(Duration lower, Duration upper) {
    return new JoinPaymentsToOrders(lower, upper, Duration.ZERO);
  }

  public JoinPaymentsToOrders withAllowedLateness(Duration allowedLateness) {
    return new JoinPaymentsToOrders(lower, upper, allowedLateness);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple events) {
    TypeDescriptor<KV<String, OrderOrPayment>> keyed =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(OrderOrPayment.class));
    KvCoder<String, OrderOrPayment> keyedCoder = KvCoder.of(StringUtf8Coder.of(), OrderOrPaymentCoder.INSTANCE);
    PCollection<KV<String, OrderOrPayment>> orders =
        events
            .get(ParseEvents.ORDERS)
            .apply("OrdersIntoGlobalWindow", Window.<Order>into(new GlobalWindows()))
            .apply(
                "KeyOrdersById",
                MapElements.into(keyed).via((Order o) -> KV.of(o.orderId(), OrderOrPayment.of(o))))
            .setCoder(keyedCoder);
    PCollection<KV<String, OrderOrPayment>> payments =
        events
            .get(ParseEvents.PAYMENTS)
            .apply("PaymentsIntoGlobalWindow", Window.<Payment>into(new GlobalWindows()))
            .apply(
                "KeyPaymentsByOrderId",
                MapElements.into(keyed).via((Payment p) -> KV.of(p.orderId(), OrderOrPayment.of(p))))
            .setCoder(keyedCoder);
    PCollectionTuple out =
        PCollectionList.of(orders)
            .and(payments)
            .apply("OrdersAndPayments", Flatten.pCollections())
            .apply(
                "JoinWithinInterval",
                ParDo.of(new IntervalJoinFn(lower.getMillis(), upper.getMillis(), allowedLateness.getMillis()))
                    .withOutputTags(MATCHES, TupleTagList.of(LATE)));
    out.get(MATCHES).setCoder(OrderPayment.TYPE.coder());
    out.get(LATE).setCoder(LateEvent.TYPE.coder());
    return out;
  }

  /** One side of the join: exactly one of {@code order} and {@code payment} is set. */
  static final class OrderOrPayment implements Serializable {
    final Order order;
    final Payment payment;

    private OrderOrPayment(Order order, Payment payment) {
      this.order = order;
      this.payment = payment;
    }

    static OrderOrPayment of(Order order) {
      return new OrderOrPayment(order, null);
    }

    static OrderOrPayment of(Payment payment) {
      return new OrderOrPayment(null, payment);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OrderOrPayment
          && java.util.Objects.equals(order, ((OrderOrPayment) o).order)
          && java.util.Objects.equals(payment, ((OrderOrPayment) o).payment);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(order, payment);
    }
  }

  static final class OrderOrPaymentCoder extends AtomicCoder<OrderOrPayment> {
    static final OrderOrPaymentCoder INSTANCE = new OrderOrPaymentCoder();

    @Override
    public void encode(OrderOrPayment value, OutputStream out) throws IOException {
      if (value.order != null) {
        out.write(0);
        Order.TYPE.coder().encode(value.order, out);
      } else {
        out.write(1);
        Payment.TYPE.coder().encode(value.payment, out);
      }
    }

    @Override
    public OrderOrPayment decode(InputStream in) throws IOException {
      int side = in.read();
      if (side == 0) {
        return OrderOrPayment.of(Order.TYPE.coder().decode(in));
      }
      if (side == 1) {
        return OrderOrPayment.of(Payment.TYPE.coder().decode(in));
      }
      throw new IOException("bad join side " + side);
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class IntervalJoinFn extends DoFn<KV<String, OrderOrPayment>, OrderPayment> {
    private final Counter results = Metrics.counter(MetricNames.NAMESPACE, MetricNames.RESULTS_OUT);
    private final Counter lateDropped = Metrics.counter(MetricNames.NAMESPACE, LATE_DROPPED);
    private final Counter buffered = Metrics.counter(MetricNames.NAMESPACE, BUFFERED);
    private final Counter expired = Metrics.counter(MetricNames.NAMESPACE, EXPIRED);

    private final long lowerMillis;
    private final long upperMillis;
    private final long latenessMillis;

    @StateId("orders")
    private final StateSpec<BagState<Order>> ordersSpec = StateSpecs.bag(Order.TYPE.coder());

    @StateId("payments")
    private final StateSpec<BagState<Payment>> paymentsSpec = StateSpecs.bag(Payment.TYPE.coder());

    /** When the expiry timer is set to fire; absent when both buffers are empty. */
    @StateId("nextExpiry")
    private final StateSpec<ValueState<Long>> nextExpirySpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    IntervalJoinFn(long lowerMillis, long upperMillis, long latenessMillis) {
      this.lowerMillis = lowerMillis;
      this.upperMillis = upperMillis;
      this.latenessMillis = latenessMillis;
    }

    private boolean matches(Order order, Payment payment) {
      long d = payment.paidAtMillis() - order.createdAtMillis();
      return d >= lowerMillis && d <= upperMillis;
    }

    /** The order can meet no acceptable payment once the watermark is past this. */
    private long expiry(Order order) {
      return order.createdAtMillis() + upperMillis + latenessMillis;
    }

    /** The payment can meet no acceptable order once the watermark is past this. */
    private long expiry(Payment payment) {
      return payment.paidAtMillis() - lowerMillis + latenessMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<String, OrderOrPayment> element,
        @StateId("orders") BagState<Order> orders,
        @StateId("payments") BagState<Payment> payments,
        @StateId("nextExpiry") ValueState<Long> nextExpiry,
        @TimerId("expire") Timer expire,
        OutputReceiver<OrderPayment> out,
        MultiOutputReceiver outputs) {
      long watermark = expire.getCurrentRelativeTime().getMillis();
      OrderOrPayment side = element.getValue();
      long expiry;
      if (side.order != null) {
        Order order = side.order;
        if (order.createdAtMillis() + latenessMillis < watermark) {
          lateDropped.inc();
          outputs.get(LATE).output(LateEvent.of(order, watermark, tooLate()));
          return;
        }
        for (Payment payment : payments.read()) {
          emitIfMatching(order, payment, out);
        }
        orders.add(order);
        expiry = expiry(order);
      } else {
        Payment payment = side.payment;
        if (payment.paidAtMillis() + latenessMillis < watermark) {
          lateDropped.inc();
          outputs.get(LATE).output(LateEvent.of(payment, watermark, tooLate()));
          return;
        }
        for (Order order : orders.read()) {
          emitIfMatching(order, payment, out);
        }
        payments.add(payment);
        expiry = expiry(payment);
      }
      buffered.inc();
      Long next = nextExpiry.read();
      if (next == null || expiry < next) {
        nextExpiry.write(expiry);
        expire.withNoOutputTimestamp().set(new Instant(expiry));
      }
    }

    private String tooLate() {
      return "later than allowed lateness: event time + "
          + org.joda.time.Duration.millis(latenessMillis)
          + " is behind the watermark; the other side's records it could match may be gone";
    }

    private void emitIfMatching(Order order, Payment payment, OutputReceiver<OrderPayment> out) {
      if (matches(order, payment)) {
        results.inc();
        out.outputWithTimestamp(
            OrderPayment.of(order, payment),
            new Instant(Math.max(order.createdAtMillis(), payment.paidAtMillis())));
      }
    }

    @OnTimer("expire")
    public void onExpire(
        @StateId("orders") BagState<Order> orders,
        @StateId("payments") BagState<Payment> payments,
        @StateId("nextExpiry") ValueState<Long> nextExpiry,
        @TimerId("expire") Timer expire) {
      long watermark = expire.getCurrentRelativeTime().getMillis();
      long next = Long.MAX_VALUE;
      List<Order> keptOrders = new ArrayList<>();
      for (Order order : orders.read()) {
        if (expiry(order) < watermark) {
          expired.inc();
        } else {
          keptOrders.add(order);
          next = Math.min(next, expiry(order));
        }
      }
      List<Payment> keptPayments = new ArrayList<>();
      for (Payment payment : payments.read()) {
        if (expiry(payment) < watermark) {
          expired.inc();
        } else {
          keptPayments.add(payment);
          next = Math.min(next, expiry(payment));
        }
      }
      orders.clear();
      keptOrders.forEach(orders::add);
      payments.clear();
      keptPayments.forEach(payments::add);
      if (next == Long.MAX_VALUE) {
        nextExpiry.clear();
      } else {
        nextExpiry.write(next);
        expire.withNoOutputTimestamp().set(new Instant(next));
      }
    }
  }
}
