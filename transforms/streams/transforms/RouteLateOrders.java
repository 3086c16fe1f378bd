package streams.transforms;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import streams.model.Json;
import streams.model.LateEvent;
import streams.model.Order;

/**
 * Routes the orders that a tumbling event-time window would drop to a late output, before the windowing,
 * so that none vanishes: an order whose window's end plus {@code allowedLateness} is behind the input
 * watermark when it arrives (Beam's own rule for dropping late data) goes to {@link #LATE} as a {@link
 * LateEvent} with the watermark it was judged against; every other order goes on to {@link #ON_TIME}
 * unchanged.
 *
 * <p>The watermark is read as Beam lets a DoFn read it: the current time of an event-time timer, which
 * needs a keyed, stateful step (keyed by user, the key the aggregation uses next; the timer is never set,
 * so this step holds no state and no watermark). Downstream the window's own watermark is never ahead of
 * this step's, so an order let through here is not dropped there. Unbounded input only (bounded input has
 * no late data); a runner that rejects timers in streaming (apache/beam#23129) cannot run it.
 */
public final class RouteLateOrders extends PTransform<PCollection<Order>, PCollectionTuple> {
  public static final TupleTag<Order> ON_TIME = new TupleTag<Order>("on-time") {};
  public static final TupleTag<LateEvent> LATE = new TupleTag<LateEvent>("late") {};

  private final Duration windowSize;
  private final Duration allowedLateness;

  private RouteLateOrders(Duration windowSize, Duration allowedLateness) {
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
  }

  public static RouteLateOrders forWindows(Duration windowSize, Duration allowedLateness) {
    return new RouteLateOrders(windowSize, allowedLateness);
  }

  @Override
  public PCollectionTuple expand(PCollection<Order> orders) {
    PCollectionTuple routed =
        orders
            .apply(
                "KeyByUser",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Order.class)))
                    .via((Order o) -> KV.of(o.userId(), o)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), orders.getCoder()))
            .apply(
                "JudgeLateness",
                ParDo.of(new JudgeLatenessFn(windowSize.getMillis(), allowedLateness.getMillis()))
                    .withOutputTags(ON_TIME, TupleTagList.of(LATE)));
    routed.get(ON_TIME).setCoder(orders.getCoder());
    routed.get(LATE).setCoder(LateEvent.TYPE.coder());
    return routed;
  }

  static final class JudgeLatenessFn extends DoFn<KV<String, Order>, Order> {
    private final Counter late = Metrics.counter(MetricNames.NAMESPACE, MetricNames.LATE_DROPPED);
    private final long windowMillis;
    private final long latenessMillis;

    @TimerId("watermark")
    private final TimerSpec watermarkSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    JudgeLatenessFn(long windowMillis, long latenessMillis) {
      this.windowMillis = windowMillis;
      this.latenessMillis = latenessMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Order> element, @TimerId("watermark") Timer watermark, MultiOutputReceiver out) {
      Order order = element.getValue();
      long start = Math.floorDiv(order.createdAtMillis(), windowMillis) * windowMillis;
      long closesAt = start + windowMillis - 1 + latenessMillis;
      long w = watermark.getCurrentRelativeTime().getMillis();
      if (closesAt < w) {
        late.inc();
        out.get(LATE)
            .output(
                LateEvent.of(
                    order,
                    w,
                    "later than allowed lateness: its window ["
                        + Json.instant(start)
                        + ", "
                        + Json.instant(start + windowMillis)
                        + ") closed when the watermark passed "
                        + Json.instant(closesAt)));
        return;
      }
      out.get(ON_TIME).output(order);
    }

    /** Never set, so never fires: the timer is only there to read the watermark. */
    @OnTimer("watermark")
    public void onWatermark() {}
  }
}
