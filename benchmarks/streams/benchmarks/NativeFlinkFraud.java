package streams.benchmarks;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import streams.model.EventParser;
import streams.model.FraudAlert;
import streams.model.Transaction;

/**
 * Yardstick, not product: the {@code fraud} query written by hand on Flink's DataStream API, to measure
 * what Beam's portability costs on the same engine. Same parser, same semantics and output lines as the
 * Beam pipeline on a bounded input: per account, transactions buffered in keyed state and decided by an
 * event-time timer at their own time, in {@code (created_at, tx_id)} order; a burst opens when none is open
 * or at {@code start + window}; the {@code threshold}-th and later transactions of a burst are alerts.
 *
 * <p>{@code java -cp target/portable-streams.jar streams.benchmarks.NativeFlinkFraud INPUT OUTPUT_DIR
 * [batch|streaming] [parallelism] [threshold] [windowSeconds]}
 */
public final class NativeFlinkFraud {
  private NativeFlinkFraud() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: NativeFlinkFraud INPUT OUTPUT_DIR [batch|streaming] [parallelism] [threshold] [windowSeconds]");
      System.exit(2);
    }
    String input = args[0];
    String output = args[1];
    boolean batch = args.length < 3 || args[2].equals("batch");
    int parallelism = args.length >= 4 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    int threshold = args.length >= 5 ? Integer.parseInt(args[4]) : 5;
    long windowMillis = (args.length >= 6 ? Long.parseLong(args[5]) : 60) * 1000;
    Files.createDirectories(Paths.get(output));

    long start = System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    // As scripts/run runs Beam on Flink (Engines.FLINK_OBJECT_REUSE): no copy between chained steps.
    env.getConfig().enableObjectReuse();
    env.setRuntimeMode(batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);

    @SuppressWarnings("deprecation")
    DataStream<String> lines = env.readTextFile(input);
    lines
        .flatMap(
            (FlatMapFunction<String, Transaction>)
                (line, out) -> {
                  try {
                    Object e = EventParser.parse(line);
                    if (e instanceof Transaction) {
                      out.collect((Transaction) e);
                    }
                  } catch (EventParser.BadEventException ignored) {
                    // Counted as a dead letter by the Beam pipelines; the yardstick only needs transactions.
                  }
                })
        .returns(Transaction.class)
        .name("ParseTransactions")
        // A bounded file: the final watermark fires every timer, as in the Beam batch run.
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<Transaction>noWatermarks()
                .withTimestampAssigner((t, ts) -> t.createdAtMillis()))
        .keyBy(Transaction::accountId)
        .process(new DetectBursts<String>(threshold, windowMillis, 0, FraudAlert::toJson))
        .returns(Types.STRING)
        .name("DetectBursts")
        .addSink(new NativeFlinkRevenue.JsonLinesSink(output))
        .name("WriteResults");

    env.execute("native-flink-fraud");
    System.out.printf(
        java.util.Locale.ROOT,
        "native-flink-fraud (%s, parallelism %d): %.1f s%n",
        batch ? "batch" : "streaming",
        parallelism,
        (System.nanoTime() - start) / 1e9);
    System.exit(0);
  }

  /**
   * The {@code fraud} semantics on Flink's keyed state and event-time timers, the hand-written twin of the
   * Beam transform {@code streams.transforms.DetectBursts}; used by this batch job and by the streaming one
   * ({@code streams.benchmarks.streaming.NativeFlinkKafka --pipeline=fraud}). Keyed by account.
   *
   * <p>Each transaction is buffered under its event time, with an event-time timer at {@code created_at +
   * allowedLateness}. When a timer fires, every buffered transaction with {@code created_at +
   * allowedLateness} at or before the watermark is final (one arriving now would be dropped) and they are
   * decided together in {@code (created_at, tx_id)} order against the open burst (start and count in keyed
   * state): a burst opens when none is open or at {@code start + window}, the {@code threshold}-th and later
   * transactions of a burst are alerts. A second timer clears the burst once the watermark has passed {@code
   * start + window + allowedLateness - 1} (no transaction that could join it can be accepted any more), so
   * every piece of state is cleared by a timer, as in the Beam transform. A transaction with {@code
   * created_at + allowedLateness} at or before the watermark when it arrives is dropped (the Beam
   * transform's late output; the yardstick writes no late output). A Flink watermark {@code W} is the Beam
   * watermark {@code W + 1} (see {@code NativeFlinkKafka}), hence "at or before" where the Beam transform
   * says "before". With bounded input and no watermark before the end (both batch modes of this job),
   * nothing is dropped and everything is decided at the end: the reference model's answer.
   *
   * @param <OUT> what an alert is written as ({@code format}): a JSON line, or a Kafka key and value
   */
  public static final class DetectBursts<OUT> extends KeyedProcessFunction<String, Transaction, OUT> {
    /** An alert as the job writes it. */
    @FunctionalInterface
    public interface Format<OUT> extends java.io.Serializable {
      OUT of(FraudAlert alert);
    }

    private static final Comparator<Transaction> EVENT_TIME_ORDER =
        Comparator.comparingLong(Transaction::createdAtMillis).thenComparing(Transaction::txId);

    private final int threshold;
    private final long windowMillis;
    private final long latenessMillis;
    private final Format<OUT> format;
    /** Transactions received but not yet decided, by event time. */
    private transient MapState<Long, List<Transaction>> pending;
    /** Start and size of the open burst; absent when no burst is open. */
    private transient ValueState<Long> burstStart;
    private transient ValueState<Long> burstCount;

    public DetectBursts(int threshold, long windowMillis, long latenessMillis, Format<OUT> format) {
      if (threshold < 1 || windowMillis <= 0 || latenessMillis < 0) {
        throw new IllegalArgumentException("threshold at least 1, window positive, lateness not negative");
      }
      this.threshold = threshold;
      this.windowMillis = windowMillis;
      this.latenessMillis = latenessMillis;
      this.format = format;
    }

    @Override
    public void open(Configuration parameters) {
      pending =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "pending", Types.LONG, new ListTypeInfo<>(TypeInformation.of(Transaction.class))));
      burstStart = getRuntimeContext().getState(new ValueStateDescriptor<>("burstStart", Types.LONG));
      burstCount = getRuntimeContext().getState(new ValueStateDescriptor<>("burstCount", Types.LONG));
    }

    @Override
    public void processElement(Transaction tx, Context ctx, Collector<OUT> out) throws Exception {
      long t = tx.createdAtMillis();
      if (t + latenessMillis <= ctx.timerService().currentWatermark()) {
        return; // beyond allowed lateness: its burst may already be decided
      }
      List<Transaction> at = pending.get(t);
      if (at == null) {
        at = new ArrayList<>();
        ctx.timerService().registerEventTimeTimer(t + latenessMillis);
      }
      at.add(tx);
      pending.put(t, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
      long watermark = ctx.timerService().currentWatermark();
      List<Long> due = new ArrayList<>();
      for (Long t : pending.keys()) {
        if (t + latenessMillis <= watermark) {
          due.add(t);
        }
      }
      Long start = burstStart.value();
      if (!due.isEmpty()) {
        List<Transaction> ready = new ArrayList<>();
        for (Long t : due) {
          ready.addAll(pending.get(t));
          pending.remove(t);
        }
        ready.sort(EVENT_TIME_ORDER);
        long count = burstCount.value() == null ? 0 : burstCount.value();
        for (Transaction tx : ready) {
          long t = tx.createdAtMillis();
          if (start == null || t >= start + windowMillis) {
            start = t;
            count = 0;
          }
          count++;
          if (count >= threshold) {
            out.collect(format.of(new FraudAlert(tx.accountId(), tx.txId(), t, count, start)));
          }
        }
        burstStart.update(start);
        burstCount.update(count);
      }
      if (start == null) {
        return;
      }
      long lastAccepted = start + windowMillis + latenessMillis - 1;
      if (lastAccepted <= watermark) {
        // Still pending: only transactions after the watermark, so at or after the burst's end.
        burstStart.clear();
        burstCount.clear();
      } else if (!due.isEmpty()) {
        ctx.timerService().registerEventTimeTimer(lastAccepted);
      }
    }
  }
}
