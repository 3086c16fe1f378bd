package streams.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.UserRevenue;

/**
 * Yardstick, not product: the {@code revenue} query written by hand on Flink's DataStream API (the way the
 * reference document writes its hourly aggregation), to measure what Beam's portability costs on the same
 * engine. Same parser, same exact cents, same output lines as the Beam pipeline on a bounded input.
 *
 * <p>{@code java -cp target/portable-streams.jar streams.benchmarks.NativeFlinkRevenue INPUT OUTPUT_DIR
 * [batch|streaming] [parallelism] [windowMinutes]}
 */
public final class NativeFlinkRevenue {
  private NativeFlinkRevenue() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: NativeFlinkRevenue INPUT OUTPUT_DIR [batch|streaming] [parallelism] [windowMinutes]");
      System.exit(2);
    }
    String input = args[0];
    String output = args[1];
    boolean batch = args.length < 3 || args[2].equals("batch");
    int parallelism = args.length >= 4 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
    long windowMinutes = args.length >= 5 ? Long.parseLong(args[4]) : 60;
    Files.createDirectories(Paths.get(output));

    long start = System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    // As scripts/run runs Beam on Flink (Engines.FLINK_OBJECT_REUSE): no copy between chained steps.
    env.getConfig().enableObjectReuse();
    env.setRuntimeMode(batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);

    @SuppressWarnings("deprecation")
    DataStream<String> lines = env.readTextFile(input);
    DataStream<Order> orders =
        lines
            .flatMap(
                (FlatMapFunction<String, Order>)
                    (line, out) -> {
                      try {
                        Object e = EventParser.parse(line);
                        if (e instanceof Order) {
                          out.collect((Order) e);
                        }
                      } catch (EventParser.BadEventException ignored) {
                        // Counted as a dead letter by the Beam pipelines; the yardstick only needs orders.
                      }
                    })
            .returns(Order.class)
            .name("ParseOrders")
            // A bounded file: the final watermark closes every window, as in the Beam batch run.
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Order>noWatermarks()
                    .withTimestampAssigner((o, ts) -> o.createdAtMillis()));

    orders
        .keyBy(Order::userId)
        .window(TumblingEventTimeWindows.of(Duration.ofMinutes(windowMinutes)))
        .aggregate(new CountAndSum(), new ToRevenue())
        .name("SumRevenuePerUser")
        .addSink(new JsonLinesSink(output))
        .name("WriteResults");

    env.execute("native-flink-revenue");
    System.out.printf(
        java.util.Locale.ROOT,
        "native-flink-revenue (%s, parallelism %d): %.1f s%n",
        batch ? "batch" : "streaming",
        parallelism,
        (System.nanoTime() - start) / 1e9);
    System.exit(0);
  }

  /** Count and exact cents. */
  static final class CountAndSum implements AggregateFunction<Order, Tuple2<Long, Long>, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> createAccumulator() {
      return Tuple2.of(0L, 0L);
    }

    @Override
    public Tuple2<Long, Long> add(Order o, Tuple2<Long, Long> acc) {
      acc.f0 += 1;
      acc.f1 += o.amountCents();
      return acc;
    }

    @Override
    public Tuple2<Long, Long> getResult(Tuple2<Long, Long> acc) {
      return acc;
    }

    @Override
    public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
      return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1);
    }
  }

  static final class ToRevenue
      extends ProcessWindowFunction<Tuple2<Long, Long>, String, String, TimeWindow> {
    @Override
    public void process(String user, Context ctx, Iterable<Tuple2<Long, Long>> in, Collector<String> out) {
      Tuple2<Long, Long> acc = in.iterator().next();
      TimeWindow w = ctx.window();
      out.collect(new UserRevenue(user, w.getStart(), w.getEnd(), acc.f0, acc.f1, "ON_TIME", 0, true).toJson());
    }
  }

  /** One JSON Lines file per subtask. */
  static final class JsonLinesSink extends RichSinkFunction<String> {
    private final String dir;
    private transient BufferedWriter writer;

    JsonLinesSink(String dir) {
      this.dir = dir;
    }

    @Override
    public void open(Configuration parameters) throws IOException {
      Path file = Paths.get(dir, "results-native-" + getRuntimeContext().getIndexOfThisSubtask() + ".jsonl");
      writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    public void invoke(String value, Context context) throws IOException {
      writer.write(value);
      writer.write('\n');
    }

    @Override
    public void close() throws IOException {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
