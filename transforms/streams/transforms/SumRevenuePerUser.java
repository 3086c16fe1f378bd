package streams.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import streams.model.Order;
import streams.model.UserRevenue;

/**
 * Per user and tumbling event-time window: the number of orders and their exact total, whatever the
 * order status (the hourly aggregation of the reference document).
 *
 * <p>In: orders stamped with their {@code created_at}. Out: one {@link UserRevenue} per pane. Panes follow
 * the {@link OutputMode}: {@code final} gives one ON_TIME pane then a LATE pane per late element within
 * {@code allowedLateness}; {@code update} adds EARLY panes every {@code earlyFiring} of processing time;
 * {@code complete} is {@code update} that never drops late data. All panes accumulate. With bounded input
 * there is exactly one pane per (user, window).
 *
 * <p>Totals are exact and never overflow: the sum is kept as {@code hi * 10^18 + cents}, so it is the same
 * whatever the order in which a runner adds and merges. A total that {@code DECIMAL(18,2)} cannot hold
 * (10^16 or more in absolute value, possible only with many huge orders of one user in one window) is
 * written saturated, as ±9999999999999999.99 (the column's bound, which then means "at least this"), and
 * counted in {@code streams/totals_saturated}; the order count stays exact.
 */
public final class SumRevenuePerUser extends PTransform<PCollection<Order>, PCollection<UserRevenue>> {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final OutputMode mode;
  private final Duration earlyFiring;

  private SumRevenuePerUser(
      Duration windowSize, Duration allowedLateness, OutputMode mode, Duration earlyFiring) {
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.mode = mode;
    this.earlyFiring = earlyFiring;
  }

  public static SumRevenuePerUser inWindowsOf(Duration windowSize) {
    return new SumRevenuePerUser(windowSize, Duration.ZERO, OutputMode.FINAL, Duration.standardSeconds(10));
  }

  public SumRevenuePerUser withAllowedLateness(Duration allowedLateness) {
    return new SumRevenuePerUser(windowSize, allowedLateness, mode, earlyFiring);
  }

  public SumRevenuePerUser withMode(OutputMode mode, Duration earlyFiring) {
    return new SumRevenuePerUser(windowSize, allowedLateness, mode, earlyFiring);
  }

  @Override
  public PCollection<UserRevenue> expand(PCollection<Order> orders) {
    boolean bounded = orders.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollection<KV<String, Order>> keyed =
        orders
            .apply("WindowIntoTumbling", window(bounded))
            .apply(
                "KeyByUser",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.ORDER))
                    .via((Order o) -> KV.of(o.userId(), o)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), orders.getCoder()));
    // Bounded input: a hash pre-combine in each bundle, the same result with one accumulator per user,
    // window and bundle through the shuffle. Unbounded: each order stays an element, as lateness needs.
    PCollection<KV<String, CountAndSum>> sums =
        bounded
            ? keyed.apply("CountAndSum", CombineInBundle.perKey(new CountAndSumFn()))
            : keyed.apply("CountAndSum", Combine.perKey(new CountAndSumFn()));
    return sums
        .apply("ToUserRevenue", ParDo.of(new ToUserRevenueFn()))
        .setCoder(UserRevenue.TYPE.coder());
  }

  private Window<Order> window(boolean bounded) {
    Window<Order> window = Window.into(FixedWindows.of(windowSize));
    if (bounded) {
      // All input is known before the watermark moves: one on-time pane per key and window, whatever the
      // mode (a processing-time early firing would only make batch output depend on machine speed).
      return window
          .triggering(AfterWatermark.pastEndOfWindow())
          .withAllowedLateness(Duration.ZERO)
          .discardingFiredPanes();
    }
    AfterWatermark.AfterWatermarkEarlyAndLate onTimeThenLate =
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
    Trigger trigger;
    Duration lateness;
    switch (mode) {
      case FINAL:
        trigger = onTimeThenLate;
        lateness = allowedLateness;
        break;
      case UPDATE:
        trigger = onTimeThenLate.withEarlyFirings(earlyFirings());
        lateness = allowedLateness;
        break;
      case COMPLETE:
        trigger = onTimeThenLate.withEarlyFirings(earlyFirings());
        // Never drop late data: state lives until the input ends, as a complete output mode requires.
        lateness = Duration.millis(BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis());
        break;
      default:
        throw new IllegalStateException("unknown mode " + mode);
    }
    // FIRE_ALWAYS closing: the pane that closes the window is always emitted (with the accumulated
    // total), so exactly one pane per window has is_final true, even after late panes.
    return window
        .triggering(trigger)
        .withAllowedLateness(lateness, Window.ClosingBehavior.FIRE_ALWAYS)
        .accumulatingFiredPanes();
  }

  private Trigger.OnceTrigger earlyFirings() {
    return AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring);
  }

  /** Type descriptors kept in one place. */
  private static final class TypeDescriptor {
    static final org.apache.beam.sdk.values.TypeDescriptor<Order> ORDER =
        org.apache.beam.sdk.values.TypeDescriptor.of(Order.class);
  }

  /** Saturated totals, in {@code streams}: panes whose exact total does not fit {@code DECIMAL(18,2)}. */
  public static final String TOTALS_SATURATED = MetricNames.TOTALS_SATURATED;

  /** 10^18 cents: 10^16, the first amount {@code DECIMAL(18,2)} cannot hold. */
  static final long CARRY = 1_000_000_000_000_000_000L;

  /**
   * Mutable accumulator: number of orders and their exact total in cents, {@code hi * 10^18 + cents} with
   * {@code |cents| < 10^18} and both of the same sign. Every amount is below 10^18 cents, so adding one (or
   * merging two accumulators) never overflows a long before the carry.
   */
  public static final class CountAndSum {
    long count;
    long cents;
    long hi;

    public CountAndSum() {}

    public CountAndSum(long count, long cents) {
      this(count, cents, 0);
    }

    CountAndSum(long count, long cents, long hi) {
      this.count = count;
      this.cents = cents;
      this.hi = hi;
    }

    void add(long moreCents, long moreHi) {
      cents += moreCents;
      hi += moreHi;
      if (cents >= CARRY) {
        cents -= CARRY;
        hi++;
      } else if (cents <= -CARRY) {
        cents += CARRY;
        hi--;
      }
      if (hi > 0 && cents < 0) {
        cents += CARRY;
        hi--;
      } else if (hi < 0 && cents > 0) {
        cents -= CARRY;
        hi++;
      }
    }

    /** True when the total fits {@code DECIMAL(18,2)}: {@link #cents} is then the whole total. */
    boolean fits() {
      return hi == 0;
    }

    /** The total as written: exact when it fits, otherwise the bound of its sign. */
    long writtenCents() {
      return fits() ? cents : hi > 0 ? CARRY - 1 : -(CARRY - 1);
    }
  }

  static final class CountAndSumCoder extends AtomicCoder<CountAndSum> {
    private static final VarLongCoder LONG = VarLongCoder.of();

    @Override
    public void encode(CountAndSum value, OutputStream out) throws IOException {
      LONG.encode(value.count, out);
      LONG.encode(value.cents, out);
      LONG.encode(value.hi, out);
    }

    @Override
    public CountAndSum decode(InputStream in) throws IOException {
      return new CountAndSum(LONG.decode(in), LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class CountAndSumFn extends Combine.CombineFn<Order, CountAndSum, CountAndSum> {
    @Override
    public CountAndSum createAccumulator() {
      return new CountAndSum();
    }

    @Override
    public CountAndSum addInput(CountAndSum acc, Order order) {
      acc.count++;
      acc.add(order.amountCents(), 0);
      return acc;
    }

    @Override
    public CountAndSum mergeAccumulators(Iterable<CountAndSum> accumulators) {
      CountAndSum merged = new CountAndSum();
      for (CountAndSum acc : accumulators) {
        merged.count += acc.count;
        merged.add(acc.cents, acc.hi);
      }
      return merged;
    }

    @Override
    public CountAndSum extractOutput(CountAndSum acc) {
      // A copy: in streaming the accumulator stays in state and keeps growing after a pane fires, and a
      // runner that passes elements between chained steps without copying them (a "faster copy" setting)
      // would otherwise hand the next step an object that later orders change.
      return new CountAndSum(acc.count, acc.cents, acc.hi);
    }

    @Override
    public Coder<CountAndSum> getAccumulatorCoder(CoderRegistry registry, Coder<Order> inputCoder)
        throws CannotProvideCoderException {
      return new CountAndSumCoder();
    }

    @Override
    public Coder<CountAndSum> getDefaultOutputCoder(CoderRegistry registry, Coder<Order> inputCoder) {
      return new CountAndSumCoder();
    }
  }

  static final class ToUserRevenueFn extends DoFn<KV<String, CountAndSum>, UserRevenue> {
    private final Counter results = Metrics.counter(MetricNames.NAMESPACE, MetricNames.RESULTS_OUT);
    private final Counter emptyPanes = Metrics.counter(MetricNames.NAMESPACE, MetricNames.EMPTY_PANES_SKIPPED);
    private final Counter saturated = Metrics.counter(MetricNames.NAMESPACE, TOTALS_SATURATED);

    @ProcessElement
    public void process(
        @Element KV<String, CountAndSum> kv,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<UserRevenue> out) {
      if (kv.getValue().count == 0) {
        // A pane with no order. Every pane of an accumulating window that received an order counts at
        // least one, so this pane belongs to a window whose state was already cleared. Observed on one
        // runner (streaming, Kafka backlog, any parallelism or bundle size) when the watermark passes a
        // window's end and its garbage-collection time in one step: besides the right pane, a second
        // ON_TIME pane with index 0 and no order. Written out, an upserting consumer would replace the
        // right total with 0 (README, "Panes a consumer can upsert, on every runner").
        emptyPanes.inc();
        return;
      }
      IntervalWindow w = (IntervalWindow) window;
      results.inc();
      if (!kv.getValue().fits()) {
        saturated.inc();
      }
      out.output(
          new UserRevenue(
              kv.getKey(),
              w.start().getMillis(),
              w.end().getMillis(),
              kv.getValue().count,
              kv.getValue().writtenCents(),
              Panes.timing(pane),
              pane.getIndex(),
              pane.isLast()));
    }
  }
}
