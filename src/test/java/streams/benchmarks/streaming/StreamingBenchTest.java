package streams.benchmarks.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import streams.benchmarks.NativeFlinkFraud;
import streams.generate.EventGenerator;
import streams.model.EventParser;
import streams.model.FraudAlert;
import streams.model.Transaction;

/**
 * The command lines of the streaming benchmark and its native job (a bad flag is one line and exit 2), the
 * check of a run's results against the model, and the native {@code fraud} function against its model.
 */
class StreamingBenchTest {
  private static int run(Object command, String... args) {
    return new CommandLine(command).execute(args);
  }

  private static String stderrOf(Runnable r) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnknownPipelineOrEngineIsRefusedInOneLine() {
    String err = stderrOf(() -> assertEquals(2, run(new StreamingBench(), "--pipelines=join")));
    assertEquals("error: unknown pipeline 'join' for --mode=streaming; allowed: completed, revenue, fraud", err.strip());
    err = stderrOf(() -> assertEquals(2, run(new StreamingBench(), "--engines=beam-direct")));
    assertTrue(err.strip().startsWith("error: unknown engine 'beam-direct'; allowed: native-flink"), err);
    err = stderrOf(() -> assertEquals(2, run(new StreamingBench(), "--mode=batch")));
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void theNativeJobRefusesWhatItDoesNotImplement() {
    String err = stderrOf(() -> assertEquals(2, run(new NativeFlinkKafka(),
        "--pipeline=join", "--bootstrapServers=127.0.0.1:1", "--topic=a", "--outputTopic=b")));
    assertEquals("error: --pipeline=join is not a native streaming job; allowed: completed, revenue, fraud", err.strip());
    err = stderrOf(() -> assertEquals(2, run(new NativeFlinkKafka(), "--pipeline=revenue",
        "--bootstrapServers=127.0.0.1:1", "--topic=a", "--outputTopic=b", "--window=an hour")));
    assertTrue(err.strip().startsWith("error: a duration is not ISO-8601"), err);
    err = stderrOf(() -> assertEquals(2, run(new NativeFlinkKafka(), "--pipeline=fraud",
        "--bootstrapServers=127.0.0.1:1", "--topic=a", "--outputTopic=b", "--fraudWindow=a minute")));
    assertTrue(err.strip().startsWith("error: a duration is not ISO-8601"), err);
    err = stderrOf(() -> assertEquals(2, run(new NativeFlinkKafka(), "--pipeline=fraud",
        "--bootstrapServers=127.0.0.1:1", "--topic=a", "--outputTopic=b", "--fraudThreshold=0")));
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("--fraudThreshold"), err);
  }

  @Test
  void fraudIsAllowedAndSkippedOnSparkWithTheCommandLinesReason() {
    StreamingBench bench = new StreamingBench();
    new CommandLine(bench).parseArgs("--pipelines=fraud,completed");
    assertEquals(List.of("fraud", "completed"), bench.pipelines);

    Optional<String> why = bench.notRunOn("fraud", "beam-spark");
    assertTrue(why.isPresent());
    assertTrue(why.get().startsWith("fraud needs event-time timers"), why.get());
    assertTrue(why.get().contains("apache/beam#23129"), why.get());
    assertEquals(Optional.empty(), bench.notRunOn("fraud", "beam-flink"));
    assertEquals(Optional.empty(), bench.notRunOn("fraud", "native-flink"));
    // revenue runs on Spark with --trigger=complete, which the command line accepts in streaming.
    assertEquals(Optional.empty(), bench.notRunOn("revenue", "beam-spark"));
    assertEquals(Optional.empty(), bench.notRunOn("completed", "beam-spark"));

    List<String> cmd = bench.command("fraud", "native-flink", "in", "out", "group", true);
    assertTrue(cmd.contains("--pipeline=fraud"), cmd.toString());
    assertTrue(cmd.contains("--readMode=toEnd"), cmd.toString());
    assertTrue(cmd.stream().noneMatch(a -> a.startsWith("--window=") || a.startsWith("--allowedLateness=")), cmd.toString());
  }

  private static List<String> generated(long events, long seed) throws Exception {
    StringWriter w = new StringWriter();
    EventGenerator.builder().events(events).seed(seed).lateFraction(0).build().writeTo(w);
    return w.toString().lines().toList();
  }

  private static List<Topics.Rec> records(List<String> values) {
    List<Topics.Rec> recs = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      recs.add(new Topics.Rec(new ConsumerRecord<>("out", i % 4, i, new byte[0], values.get(i).getBytes(StandardCharsets.UTF_8))));
    }
    return recs;
  }

  @Test
  void fraudResultsAreComparedLineForLineWithTheModel() throws Exception {
    List<String> lines = generated(5_000, 3);
    List<String> expected = StreamingBench.model("fraud", lines, 60_000);
    assertFalse(expected.isEmpty(), "the generated input has fraud alerts");
    assertTrue(expected.get(0).startsWith("{\"account_id\":"), expected.get(0));

    List<String> shuffled = new ArrayList<>(expected);
    Collections.reverse(shuffled);
    StreamingBench.Run r = new StreamingBench.Run();
    StreamingBench.check(r, "fraud", records(shuffled), expected);
    assertEquals(Boolean.TRUE, r.outputEqualsModel, r.mismatch);
    assertNull(r.mismatch);

    StreamingBench.Run missing = new StreamingBench.Run();
    StreamingBench.check(missing, "fraud", records(shuffled.subList(1, shuffled.size())), expected);
    assertEquals(Boolean.FALSE, missing.outputEqualsModel);
    assertTrue(missing.mismatch.contains("1 model lines missing"), missing.mismatch);
  }

  @Test
  void closingEventsComeAnHourAfterTheFeedOnEveryPartitionAndChangeNoAlert() throws Exception {
    List<String> lines = generated(5_000, 3);
    List<String> closing = StreamingBench.closingEvents(lines, 4);
    assertEquals(4, closing.size());
    long last = 0;
    for (String l : lines) {
      try {
        last = Math.max(last, EventParser.eventTimeMillis(EventParser.parse(l)));
      } catch (EventParser.BadEventException ignored) {
        // malformed line
      }
    }
    for (String c : closing) {
      assertEquals(last + 3_600_000L, EventParser.eventTimeMillis(EventParser.parse(c)), c);
    }
    List<String> withClosing = new ArrayList<>(lines);
    withClosing.addAll(closing);
    assertEquals(StreamingBench.model("fraud", lines, 60_000), StreamingBench.model("fraud", withClosing, 60_000));
    assertEquals(StreamingBench.model("completed", lines, 1), StreamingBench.model("completed", withClosing, 1));
  }

  /**
   * The native job's keyed function, with a watermark after every transaction (the bound of the Kafka job,
   * 5 s, per the generator's arrival order), so that transactions are decided and bursts expire along the
   * stream, not only at the end: the model's alerts. Five transactions of a new account appended behind the
   * watermark are dropped, as in the Beam pipeline (decided, they would be an alert).
   */
  @Test
  void theNativeFraudFunctionGivesTheModelsAlertsAlongTheStream() throws Exception {
    List<String> lines = generated(20_000, 11);
    List<Transaction> txs = new ArrayList<>();
    for (String line : lines) {
      try {
        if (EventParser.parse(line) instanceof Transaction tx) {
          txs.add(tx);
        }
      } catch (EventParser.BadEventException ignored) {
        // a dead letter
      }
    }
    long first = txs.get(0).createdAtMillis();
    for (int i = 0; i < 5; i++) {
      txs.add(new Transaction("t-late-" + i, "a-late", 100, first + i));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    List<String> actual = new ArrayList<>();
    try (CloseableIterator<String> it =
        env.fromCollection(txs, TypeInformation.of(Transaction.class))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Transaction>forGenerator(c -> new EveryEvent(5_000))
                    .withTimestampAssigner((t, ts) -> t.createdAtMillis()))
            .keyBy(Transaction::accountId)
            .process(new NativeFlinkFraud.DetectBursts<String>(5, 60_000, 0, FraudAlert::toJson))
            .returns(Types.STRING)
            .executeAndCollect("native-fraud-test")) {
      it.forEachRemaining(actual::add);
    }
    Collections.sort(actual);
    List<String> expected = StreamingBench.model("fraud", lines, 60_000);
    assertTrue(expected.size() > 10, "alerts in the model: " + expected.size());
    assertEquals(expected, actual);
  }

  /** Flink's bounded-out-of-orderness watermark (highest time − bound − 1 ms), emitted after every event. */
  private static final class EveryEvent implements WatermarkGenerator<Transaction> {
    private final long bound;
    private long max = Long.MIN_VALUE / 2;

    EveryEvent(long bound) {
      this.bound = bound;
    }

    @Override
    public void onEvent(Transaction tx, long timestamp, WatermarkOutput out) {
      max = Math.max(max, timestamp);
      out.emitWatermark(new Watermark(max - bound - 1));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput out) {}
  }

  @Test
  void percentilesAndMediansAreNearestRankAndMiddle() {
    List<Double> v = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    assertEquals(5.0, StreamingBench.percentile(v, 50));
    assertEquals(10.0, StreamingBench.percentile(v, 95));
    assertEquals(5.5, StreamingBench.median(v));
    assertEquals("2.00 (1.00–3.00)", StreamingBench.summary(List.of(3.0, 1.0, 2.0), "%.2f"));
  }
}
