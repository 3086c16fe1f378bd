package streams.benchmarks.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import streams.benchmarks.NativeFlinkFraud;
import streams.model.EventParser;
import streams.model.FraudAlert;
import streams.model.Order;
import streams.model.OrderMetric;
import streams.model.Transaction;
import streams.model.UserRevenue;

/**
 * Yardstick, not product: {@code completed}, {@code revenue} and {@code fraud} written by hand on Flink's
 * DataStream API, Kafka to Kafka, to measure what Beam's portability costs on the same engine in streaming. Same event
 * contract (the project's {@link EventParser}, exact cents), same watermark rule as the Beam Kafka source
 * ({@code streams.io.EventTimePolicy}: per partition, the highest event time read minus {@code
 * maxOutOfOrderness}, a partition quiet for {@code idleTimeout} stops holding the watermark back; Flink's
 * {@code forBoundedOutOfOrderness} emits that bound minus 1 ms, which is the same rule, as a Flink watermark
 * {@code W} means "no element at or before W" and a Beam one "no element before W"), same result lines and
 * Kafka keys as the pipelines' Kafka sink.
 *
 * <p>The read is the equivalent of {@code --readMode=toEnd}: each partition is read from the start to the
 * end offset it has when the job starts, then the source ends, the final watermark closes every window and
 * the job finishes by itself. What the yardstick leaves out: dead letters (invalid lines are skipped, not
 * written) and the far-future check ({@code --maxEventTimeJump}); neither occurs in generated input
 * without malformed lines, and both cost the Beam pipelines a little. Nor does it write late output
 * ({@code fraud}: transactions beyond allowed lateness are dropped, as the pipeline drops them from its
 * alerts); the benchmark's input has no late events.
 *
 * <p>{@code fraud} is {@link NativeFlinkFraud.DetectBursts}, the batch yardstick's keyed process function,
 * keyed by account: alerts on the {@code --fraudThreshold}-th and later transactions of a {@code
 * --fraudWindow} burst, state cleared by event-time timers, result lines {@code
 * {"account_id","tx_id","created_at","count","burst_start"}} keyed {@code {"tx_id":...}} as the pipeline's
 * Kafka sink keys a {@link FraudAlert}.
 *
 * <p>{@code java -cp target/portable-streams.jar streams.benchmarks.streaming.NativeFlinkKafka
 * --pipeline=completed|revenue|fraud --bootstrapServers=H:P --topic=IN --outputTopic=OUT [--groupId=G]
 * [--parallelism=N] [--window=PT1H] [--allowedLateness=PT10M|PT0S] [--fraudThreshold=5] [--fraudWindow=PT60S]
 * [--readMode=toEnd|unbounded]
 * [--checkpointingInterval=5000] [--stateBackend=hashmap|rocksdb] [--no-objectReuse]}
 *
 * <p>Checkpoints as the project's Flink runs of a Kafka source have them by default (every 5 s, heap state,
 * checkpoints written to files under the temp folder): the comparison is of the same work.
 */
@Command(
    name = "NativeFlinkKafka",
    mixinStandardHelpOptions = true,
    description = "A hand-written Flink DataStream job, Kafka to Kafka: completed, revenue or fraud.")
public final class NativeFlinkKafka implements Callable<Integer> {
  static final List<String> PIPELINES = List.of("completed", "revenue", "fraud");

  @Option(names = "--pipeline", required = true, description = "completed, revenue or fraud.")
  String pipeline;

  @Option(names = "--bootstrapServers", required = true)
  String bootstrapServers;

  @Option(names = "--topic", required = true, description = "Input topic (the generated events).")
  String topic;

  @Option(names = "--outputTopic", required = true)
  String outputTopic;

  @Option(names = "--groupId", description = "Consumer group (default native-flink.<pipeline>.<topic>).")
  String groupId;

  @Option(names = "--parallelism", description = "Default: the number of cores.")
  int parallelism = Runtime.getRuntime().availableProcessors();

  @Option(names = "--window", defaultValue = "PT1H", description = "revenue: tumbling window, ISO-8601.")
  String window;

  @Option(
      names = "--allowedLateness",
      description = "revenue and fraud, ISO-8601; default: the pipeline's (revenue PT10M, fraud PT0S).")
  String allowedLateness;

  @Option(names = "--fraudThreshold", defaultValue = "5", description = "fraud: alert on the N-th and later transactions of a burst.")
  int fraudThreshold;

  @Option(names = "--fraudWindow", defaultValue = "PT60S", description = "fraud: length of a burst from its first transaction, ISO-8601.")
  String fraudWindow;

  @Option(names = "--maxOutOfOrderness", defaultValue = "PT5S")
  String maxOutOfOrderness;

  @Option(names = "--idleTimeout", defaultValue = "PT10S")
  String idleTimeout;

  @Option(
      names = "--readMode",
      defaultValue = "toEnd",
      description = "toEnd (read what the topic holds at start, then finish) or unbounded.")
  String readMode;

  @Option(
      names = "--objectReuse",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Flink's object reuse (default on, as scripts/run runs Beam on Flink; --no-objectReuse: off).")
  boolean objectReuse;

  @Option(
      names = "--checkpointingInterval",
      defaultValue = "5000",
      description = "Checkpoint every this many ms (default ${DEFAULT-VALUE}, what scripts/run gives a Kafka source on"
          + " Flink; -1: none). The source commits its offsets when a checkpoint completes.")
  long checkpointingInterval;

  @Option(
      names = "--stateBackend",
      defaultValue = "hashmap",
      description = "hashmap (default: heap state, checkpoints to files, as scripts/run's Flink Kafka runs) or rocksdb.")
  String stateBackend;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NativeFlinkKafka()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!PIPELINES.contains(pipeline)) {
      System.err.println(
          "error: --pipeline=" + pipeline + " is not a native streaming job; allowed: " + String.join(", ", PIPELINES));
      return 2;
    }
    if (!List.of("toEnd", "unbounded").contains(readMode)) {
      System.err.println("error: --readMode=" + readMode + " is not allowed; allowed: toEnd, unbounded");
      return 2;
    }
    Duration windowSize;
    Duration lateness;
    Duration burst;
    Duration outOfOrderness;
    Duration idle;
    try {
      windowSize = Duration.parse(window);
      lateness = Duration.parse(
          allowedLateness != null ? allowedLateness : pipeline.equals("fraud") ? "PT0S" : "PT10M");
      burst = Duration.parse(fraudWindow);
      outOfOrderness = Duration.parse(maxOutOfOrderness);
      idle = Duration.parse(idleTimeout);
    } catch (DateTimeParseException e) {
      System.err.println("error: a duration is not ISO-8601 (e.g. PT1H, PT5S): " + e.getParsedString());
      return 2;
    }
    if (!List.of("hashmap", "rocksdb").contains(stateBackend)) {
      System.err.println("error: --stateBackend=" + stateBackend + " is not allowed; allowed: hashmap, rocksdb");
      return 2;
    }
    if (parallelism < 1 || windowSize.isNegative() || windowSize.isZero() || lateness.isNegative()
        || fraudThreshold < 1 || burst.isNegative() || burst.isZero()) {
      System.err.println("error: --parallelism, --window, --fraudThreshold and --fraudWindow must be positive,"
          + " --allowedLateness not negative");
      return 2;
    }
    long start = System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    ExecutionConfig config = env.getConfig();
    if (objectReuse) {
      config.enableObjectReuse();
    }
    if (checkpointingInterval > 0) {
      env.enableCheckpointing(checkpointingInterval);
      env.setStateBackend(
          stateBackend.equals("rocksdb")
              ? rocksDb()
              : new org.apache.flink.runtime.state.hashmap.HashMapStateBackend());
      env.getCheckpointConfig()
          .setCheckpointStorage(
              java.nio.file.Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams", "native-flink-checkpoints")
                  .toUri()
                  .toString());
    }

    var source = KafkaSource.<Object>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setGroupId(groupId != null ? groupId : "native-flink." + pipeline + "." + topic)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty("isolation.level", "read_committed");
    if (readMode.equals("toEnd")) {
      source.setBounded(OffsetsInitializer.latest());
    }
    KafkaSink<Tuple2<String, String>> sink =
        KafkaSink.<Tuple2<String, String>>builder()
            .setBootstrapServers(bootstrapServers)
            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
            .setRecordSerializer(new KeyValueSerializer(outputTopic))
            .build();

    if (pipeline.equals("completed")) {
      source.setValueOnlyDeserializer(new ParseEvents(COMPLETED, Types.TUPLE(Types.STRING, Types.LONG, Types.STRING)));
      DataStream<Tuple2<String, String>> metrics =
          env.fromSource(source.build(), watermarks(outOfOrderness, idle), "ReadKafka")
              .map(o -> Tuple2.of((String) ((Tuple3<?, ?, ?>) o).f0, (String) ((Tuple3<?, ?, ?>) o).f2))
              .returns(Types.TUPLE(Types.STRING, Types.STRING))
              .name("AsKeyValue");
      metrics.sinkTo(sink).name("WriteKafka");
    } else if (pipeline.equals("fraud")) {
      source.setValueOnlyDeserializer(new ParseEvents(TRANSACTIONS, TypeInformation.of(Transaction.class)));
      env.fromSource(source.build(), watermarks(outOfOrderness, idle), "ReadKafka")
          .map(o -> (Transaction) o)
          .returns(Transaction.class)
          .name("AsTransaction")
          .keyBy(Transaction::accountId)
          .process(
              new NativeFlinkFraud.DetectBursts<Tuple2<String, String>>(
                  fraudThreshold,
                  burst.toMillis(),
                  lateness.toMillis(),
                  a -> Tuple2.of(FraudAlert.TYPE.kafkaKey(a), a.toJson())))
          .returns(Types.TUPLE(Types.STRING, Types.STRING))
          .name("DetectBursts")
          .sinkTo(sink)
          .name("WriteKafka");
    } else {
      source.setValueOnlyDeserializer(new ParseEvents(ORDERS, Types.TUPLE(Types.STRING, Types.LONG, Types.LONG)));
      env.fromSource(source.build(), watermarks(outOfOrderness, idle), "ReadKafka")
          .map(o -> (Tuple3<String, Long, Long>) (Object) o)
          .returns(Types.TUPLE(Types.STRING, Types.LONG, Types.LONG))
          .name("AsOrder")
          .keyBy(o -> o.f0)
          .window(TumblingEventTimeWindows.of(windowSize))
          .allowedLateness(lateness)
          .aggregate(new CountAndSum(), new ToRevenuePane(lateness.isZero()))
          .name("SumRevenuePerUser")
          .sinkTo(sink)
          .name("WriteKafka");
    }
    env.execute("native-flink-kafka-" + pipeline);
    System.out.printf(
        Locale.ROOT,
        "native-flink-kafka-%s (parallelism %d, checkpoints %s): %.1f s%n",
        pipeline,
        parallelism,
        checkpointingInterval > 0 ? "every " + checkpointingInterval + " ms, " + stateBackend : "none",
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** Flink's RocksDB backend (a runtime dependency of Beam's Flink runner, not on the compile class path). */
  private static org.apache.flink.runtime.state.StateBackend rocksDb() throws ReflectiveOperationException {
    return (org.apache.flink.runtime.state.StateBackend)
        Class.forName("org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend")
            .getDeclaredConstructor()
            .newInstance();
  }

  /**
   * Event time: the parsed event's own time (the transaction's, or the one the deserializer put in the
   * record); watermark per
   * partition: highest event time minus the bound; idleness after {@code idle} without records.
   */
  private static WatermarkStrategy<Object> watermarks(Duration outOfOrderness, Duration idle) {
    return WatermarkStrategy.forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner(
            (o, recordTs) ->
                o instanceof Transaction ? ((Transaction) o).createdAtMillis() : (Long) ((Tuple3<?, ?, ?>) o).f1)
        .withIdleness(idle);
  }

  /** Keeps what the job reads of a parsed event: the record to emit, or null to skip the event. */
  @FunctionalInterface
  interface Keep extends java.io.Serializable {
    Object of(Object event);
  }

  /** Transactions as they are. */
  static final Keep TRANSACTIONS = e -> e instanceof Transaction ? e : null;

  /** Orders as {@code (user_id, created_at, cents)}. */
  static final Keep ORDERS =
      e -> e instanceof Order ? Tuple3.of(((Order) e).userId(), ((Order) e).createdAtMillis(), ((Order) e).amountCents()) : null;

  /** COMPLETED orders as {@code (Kafka key, created_at, result line)}. */
  static final Keep COMPLETED =
      e -> {
        if (!(e instanceof Order) || ((Order) e).status() != Order.Status.COMPLETED) {
          return null;
        }
        OrderMetric m = OrderMetric.of((Order) e);
        return Tuple3.of(OrderMetric.TYPE.kafkaKey(m), ((Order) e).createdAtMillis(), m.toJson());
      };

  /** Parses each value once and emits what {@code keep} makes of the event (invalid lines are skipped). */
  static final class ParseEvents implements DeserializationSchema<Object> {
    private final Keep keep;
    private final TypeInformation<?> produced;

    ParseEvents(Keep keep, TypeInformation<?> produced) {
      this.keep = keep;
      this.produced = produced;
    }

    @Override
    public Object deserialize(byte[] message) {
      throw new UnsupportedOperationException("the collector form is used");
    }

    @Override
    public void deserialize(byte[] message, Collector<Object> out) {
      Object e = parse(message);
      Object kept = e == null ? null : keep.of(e);
      if (kept != null) {
        out.collect(kept);
      }
    }

    @Override
    public boolean isEndOfStream(Object next) {
      return false;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public TypeInformation<Object> getProducedType() {
      return (TypeInformation) produced;
    }
  }

  private static Object parse(byte[] message) {
    if (message == null) {
      return null;
    }
    try {
      return EventParser.parse(new String(message, StandardCharsets.UTF_8));
    } catch (EventParser.BadEventException ignored) {
      return null; // a dead letter in the Beam pipelines; the yardstick skips it
    }
  }

  /** Count and exact cents. */
  static final class CountAndSum
      implements AggregateFunction<Tuple3<String, Long, Long>, Tuple2<Long, Long>, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> createAccumulator() {
      return Tuple2.of(0L, 0L);
    }

    @Override
    public Tuple2<Long, Long> add(Tuple3<String, Long, Long> o, Tuple2<Long, Long> acc) {
      acc.f0 += 1;
      acc.f1 += o.f2;
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

  /**
   * One pane per firing, as the pipeline's {@code final} mode: the first at the watermark ({@code ON_TIME},
   * pane 0), then one {@code LATE} pane (accumulated) per late order within the allowed lateness.
   */
  static final class ToRevenuePane
      extends ProcessWindowFunction<Tuple2<Long, Long>, Tuple2<String, String>, String, TimeWindow> {
    private final boolean noLateness;
    private final ValueStateDescriptor<Long> panes = new ValueStateDescriptor<>("panes", Types.LONG);

    ToRevenuePane(boolean noLateness) {
      this.noLateness = noLateness;
    }

    @Override
    public void process(
        String user, Context ctx, Iterable<Tuple2<Long, Long>> in, Collector<Tuple2<String, String>> out)
        throws Exception {
      Tuple2<Long, Long> acc = in.iterator().next();
      TimeWindow w = ctx.window();
      ValueState<Long> count = ctx.windowState().getState(panes);
      long pane = count.value() == null ? 0 : count.value();
      count.update(pane + 1);
      UserRevenue revenue =
          new UserRevenue(user, w.getStart(), w.getEnd(), acc.f0, acc.f1, pane == 0 ? "ON_TIME" : "LATE", pane, noLateness);
      out.collect(Tuple2.of(UserRevenue.TYPE.kafkaKey(revenue), revenue.toJson()));
    }

    @Override
    public void clear(Context ctx) throws Exception {
      ctx.windowState().getState(panes).clear();
    }
  }

  /** {@code (key, json)} to a UTF-8 record of the output topic. */
  static final class KeyValueSerializer implements KafkaRecordSerializationSchema<Tuple2<String, String>> {
    private final String topic;

    KeyValueSerializer(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        Tuple2<String, String> kv, KafkaSinkContext context, Long timestamp) {
      return new ProducerRecord<>(
          topic, kv.f0 == null ? null : kv.f0.getBytes(StandardCharsets.UTF_8), kv.f1.getBytes(StandardCharsets.UTF_8));
    }
  }
}
