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
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
        .process(new DetectBursts(threshold, windowMillis))
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

  /** Buffer per event time, decide at the timer, burst start and count in keyed state. */
  static final class DetectBursts extends KeyedProcessFunction<String, Transaction, String> {
    private final int threshold;
    private final long windowMillis;
    private transient MapState<Long, List<Transaction>> buffer;
    private transient ValueState<Long> burstStart;
    private transient ValueState<Long> burstCount;

    DetectBursts(int threshold, long windowMillis) {
      this.threshold = threshold;
      this.windowMillis = windowMillis;
    }

    @Override
    public void open(Configuration parameters) {
      buffer =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "buffer", Types.LONG, TypeInformation.of(new TypeHint<List<Transaction>>() {})));
      burstStart = getRuntimeContext().getState(new ValueStateDescriptor<>("burstStart", Types.LONG));
      burstCount = getRuntimeContext().getState(new ValueStateDescriptor<>("burstCount", Types.LONG));
    }

    @Override
    public void processElement(Transaction tx, Context ctx, Collector<String> out) throws Exception {
      long t = tx.createdAtMillis();
      List<Transaction> at = buffer.get(t);
      if (at == null) {
        at = new ArrayList<>();
        ctx.timerService().registerEventTimeTimer(t);
      }
      at.add(tx);
      buffer.put(t, at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
      List<Transaction> due = buffer.get(timestamp);
      if (due == null) {
        return;
      }
      buffer.remove(timestamp);
      due.sort(Comparator.comparing(Transaction::txId));
      Long start = burstStart.value();
      long count = burstCount.value() == null ? 0 : burstCount.value();
      for (Transaction tx : due) {
        if (count == 0 || tx.createdAtMillis() >= start + windowMillis) {
          start = tx.createdAtMillis();
          count = 0;
        }
        count++;
        if (count >= threshold) {
          out.collect(new FraudAlert(tx.accountId(), tx.txId(), tx.createdAtMillis(), count, start).toJson());
        }
      }
      burstStart.update(start);
      burstCount.update(count);
    }
  }
}
