package streams.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import streams.model.FraudAlert;
import streams.model.LateEvent;
import streams.model.Transaction;

/**
 * Fraud bursts per account, defined in event time so that the answer does not depend on the order of
 * arrival (the reference document's {@code FraudDetector}, made deterministic).
 *
 * <p>In: transactions stamped with their {@code created_at}. Out: one {@link FraudAlert} per transaction
 * that is the {@code threshold}-th or later of its burst, stamped with the transaction's time.
 *
 * <p>Semantics, per {@code account_id}, over transactions taken in event-time order (ties broken by
 * {@code tx_id}, string order): a burst opens at a transaction when no burst is open and covers {@code
 * [t0, t0 + window)}; a transaction at or after {@code t0 + window} opens a new burst (count 1); every
 * transaction whose position in its burst is {@code >= threshold} yields an alert with {@code count} = that
 * position and {@code burst_start} = {@code t0}.
 *
 * <p>How: a stateful DoFn keyed by account. Each transaction is buffered ({@code BagState}) and an
 * event-time timer, holding the output watermark at the earliest buffered time, fires once the input
 * watermark has passed {@code created_at + allowedLateness}; the buffered transactions that are then final
 * are processed in {@code (created_at, tx_id)} order against the open burst ({@code ValueState} start and
 * count). A second timer clears the burst state once the watermark has passed {@code burst_start + window +
 * allowedLateness} (no transaction that could still join the burst can be accepted any more). Every piece
 * of state is cleared by one of the two timers; a key whose state has expired behaves exactly as a new key.
 *
 * <p>Lateness, with {@code W} the input watermark when a transaction arrives:
 *
 * <ul>
 *   <li>{@code created_at + allowedLateness >= W} (on time, or late within allowed lateness): the
 *       transaction is processed in its place in event-time order, exactly as if it had arrived on time.
 *       This always succeeds, because no transaction is decided before the watermark has passed its time
 *       plus allowed lateness. The price: alerts come out {@code allowedLateness} (of watermark) later.
 *   <li>{@code created_at + allowedLateness < W} (beyond allowed lateness): dropped, counted in the metric
 *       {@code streams/late_dropped}, never alerted on. Its account's results are those of the input
 *       without it.
 * </ul>
 *
 * With bounded input nothing is late (the watermark moves only once all input is read), so the output is
 * the reference model's. The watermark is read with {@link Timer#getCurrentRelativeTime()}, which for an
 * event-time timer is the input watermark.
 */
public final class DetectBursts extends PTransform<PCollection<Transaction>, PCollectionTuple> {
  /** The alerts. */
  public static final TupleTag<FraudAlert> ALERTS = new TupleTag<FraudAlert>("alerts") {};
  /** Transactions later than allowed lateness, with the watermark they were judged against. */
  public static final TupleTag<LateEvent> LATE = new TupleTag<LateEvent>("late") {};

  public static final String LATE_DROPPED = MetricNames.LATE_DROPPED;
  /** Times an account without burst state got some: a new account, or one whose state had expired. */
  public static final String STATES_CREATED = MetricNames.BURST_STATES_CREATED;
  /** Times an account's burst state was cleared by its expiry; equals {@link #STATES_CREATED} at the end. */
  public static final String STATES_EXPIRED = MetricNames.BURST_STATES_EXPIRED;

  private final int threshold;
  private final Duration window;
  private final Duration allowedLateness;

  private DetectBursts(int threshold, Duration window, Duration allowedLateness) {
    if (threshold < 1) {
      throw new IllegalArgumentException("--fraudThreshold=" + threshold + " must be at least 1");
    }
    if (window.getMillis() <= 0) {
      throw new IllegalArgumentException("--fraudWindow=" + window + " must be positive");
    }
    if (allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("--allowedLateness=" + allowedLateness + " must not be negative");
    }
    this.threshold = threshold;
    this.window = window;
    this.allowedLateness = allowedLateness;
  }

  /** Alerts on the {@code threshold}-th and later transactions of a burst of length {@code window}. */
  public static DetectBursts of(int threshold, Duration window) {
    return new DetectBursts(threshold, window, Duration.ZERO);
  }

  public DetectBursts withAllowedLateness(Duration allowedLateness) {
    return new DetectBursts(threshold, window, allowedLateness);
  }

  @Override
  public PCollectionTuple expand(PCollection<Transaction> transactions) {
    PCollectionTuple out = transactions
        // State must span the whole stream of an account, not a window of it.
        .apply("IntoGlobalWindow", Window.<Transaction>into(new GlobalWindows()))
        .apply(
            "KeyByAccount",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Transaction.class)))
                .via((Transaction tx) -> KV.of(tx.accountId(), tx)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Transaction.TYPE.coder()))
        .apply(
            "DetectBurstsPerAccount",
            ParDo.of(new DetectBurstsFn(threshold, window.getMillis(), allowedLateness.getMillis()))
                .withOutputTags(ALERTS, TupleTagList.of(LATE)));
    out.get(ALERTS).setCoder(FraudAlert.TYPE.coder());
    out.get(LATE).setCoder(LateEvent.TYPE.coder());
    return out;
  }

  static final class DetectBurstsFn extends DoFn<KV<String, Transaction>, FraudAlert> {
    private static final Comparator<Transaction> EVENT_TIME_ORDER =
        Comparator.comparingLong(Transaction::createdAtMillis).thenComparing(Transaction::txId);

    private final Counter results = Metrics.counter(MetricNames.NAMESPACE, MetricNames.RESULTS_OUT);
    private final Counter lateDropped = Metrics.counter(MetricNames.NAMESPACE, LATE_DROPPED);
    private final Counter statesCreated = Metrics.counter(MetricNames.NAMESPACE, STATES_CREATED);
    private final Counter statesExpired = Metrics.counter(MetricNames.NAMESPACE, STATES_EXPIRED);

    private final long threshold;
    private final long windowMillis;
    private final long latenessMillis;

    /** Transactions received but not yet decided. */
    @StateId("pending")
    private final StateSpec<BagState<Transaction>> pendingSpec =
        StateSpecs.bag(Transaction.TYPE.coder());

    /** Earliest {@code created_at} in {@code pending}; absent when nothing is pending. */
    @StateId("pendingMin")
    private final StateSpec<ValueState<Long>> pendingMinSpec = StateSpecs.value(VarLongCoder.of());

    /** Start and size of the open burst; absent when no burst is open. */
    @StateId("burstStart")
    private final StateSpec<ValueState<Long>> burstStartSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("burstCount")
    private final StateSpec<ValueState<Long>> burstCountSpec = StateSpecs.value(VarLongCoder.of());

    /** Fires when the watermark passes the earliest pending time plus allowed lateness. */
    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /** Fires when the watermark passes the open burst's end plus allowed lateness. */
    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    DetectBurstsFn(long threshold, long windowMillis, long latenessMillis) {
      this.threshold = threshold;
      this.windowMillis = windowMillis;
      this.latenessMillis = latenessMillis;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Transaction> element,
        @StateId("pending") BagState<Transaction> pending,
        @StateId("pendingMin") ValueState<Long> pendingMin,
        @TimerId("flush") Timer flush,
        MultiOutputReceiver out) {
      Transaction tx = element.getValue();
      long t = tx.createdAtMillis();
      long watermark = flush.getCurrentRelativeTime().getMillis();
      if (t + latenessMillis < watermark) {
        lateDropped.inc();
        out.get(LATE)
            .output(
                LateEvent.of(
                    tx,
                    watermark,
                    "later than allowed lateness: created_at + "
                        + Duration.millis(latenessMillis)
                        + " is behind the watermark; its burst was already decided"));
        return;
      }
      pending.add(tx);
      Long min = pendingMin.read();
      if (min == null || t < min) {
        pendingMin.write(t);
        // The hold keeps the output watermark at the earliest undecided transaction, so the alerts this
        // timer emits (stamped with their transaction's time) are never behind the output watermark.
        flush.withOutputTimestamp(new Instant(t)).set(new Instant(t + latenessMillis));
      }
    }

    @OnTimer("flush")
    public void onFlush(
        @StateId("pending") BagState<Transaction> pending,
        @StateId("pendingMin") ValueState<Long> pendingMin,
        @StateId("burstStart") ValueState<Long> burstStart,
        @StateId("burstCount") ValueState<Long> burstCount,
        @TimerId("flush") Timer flush,
        @TimerId("expire") Timer expire,
        OutputReceiver<FraudAlert> out) {
      long watermark = flush.getCurrentRelativeTime().getMillis();
      // Final: every transaction that could still come before it would be beyond allowed lateness.
      List<Transaction> ready = new ArrayList<>();
      List<Transaction> later = new ArrayList<>();
      for (Transaction tx : pending.read()) {
        (tx.createdAtMillis() + latenessMillis < watermark ? ready : later).add(tx);
      }
      ready.sort(EVENT_TIME_ORDER);
      Long start = burstStart.read();
      Long count = burstCount.read();
      for (Transaction tx : ready) {
        long t = tx.createdAtMillis();
        if (start == null || t >= start + windowMillis) {
          if (start == null) {
            statesCreated.inc();
          }
          start = t;
          count = 1L;
        } else {
          count++;
        }
        if (count >= threshold) {
          results.inc();
          out.outputWithTimestamp(
              new FraudAlert(tx.accountId(), tx.txId(), t, count, start), new Instant(t));
        }
      }

      pending.clear();
      if (later.isEmpty()) {
        pendingMin.clear();
      } else {
        long min = Long.MAX_VALUE;
        for (Transaction tx : later) {
          pending.add(tx);
          min = Math.min(min, tx.createdAtMillis());
        }
        pendingMin.write(min);
        flush.withOutputTimestamp(new Instant(min)).set(new Instant(min + latenessMillis));
      }

      if (start == null) {
        return;
      }
      if (burstOver(start, watermark)) {
        // Transactions still pending are at or after the burst's end: they open a new burst anyway.
        burstStart.clear();
        burstCount.clear();
        statesExpired.inc();
      } else {
        burstStart.write(start);
        burstCount.write(count);
        expire.withNoOutputTimestamp().set(new Instant(start + windowMillis + latenessMillis - 1));
      }
    }

    @OnTimer("expire")
    public void onExpire(
        @StateId("pendingMin") ValueState<Long> pendingMin,
        @StateId("burstStart") ValueState<Long> burstStart,
        @StateId("burstCount") ValueState<Long> burstCount,
        @TimerId("expire") Timer expire) {
      Long start = burstStart.read();
      if (start == null || !burstOver(start, expire.getCurrentRelativeTime().getMillis())) {
        return;
      }
      Long min = pendingMin.read();
      if (min != null && min < start + windowMillis) {
        // A pending transaction still belongs to this burst: the flush timer, due by now as well,
        // processes it and then expires the burst.
        return;
      }
      burstStart.clear();
      burstCount.clear();
      statesExpired.inc();
    }

    /** No transaction of the burst starting at {@code start} can be accepted at this watermark. */
    private boolean burstOver(long start, long watermark) {
      return start + windowMillis + latenessMillis - 1 < watermark;
    }
  }
}
