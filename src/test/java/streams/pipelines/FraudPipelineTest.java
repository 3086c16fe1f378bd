package streams.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static streams.testing.Events.T0;
import static streams.testing.Events.min;
import static streams.testing.Events.sec;
import static streams.testing.Events.transaction;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import streams.generate.EventGenerator;
import streams.model.FraudAlert;
import streams.reference.FraudModel;
import streams.testing.Conformance;
import streams.testing.Counters;
import streams.testing.DisorderedStream;
import streams.testing.StreamingPipelineTest;
import streams.testing.TestRunner;
import streams.transforms.DetectBursts;

/**
 * Event-time semantics of {@code fraud}, pinned with TestStream on every runner: threshold 5, window 60 s,
 * allowed lateness 0 unless a scenario says otherwise. Account {@code a-1} unless said otherwise.
 */
@RunWith(Parameterized.class)
public class FraudPipelineTest extends StreamingPipelineTest {
  static final String SPARK_STREAMING_TIMERS =
      "the Spark runner rejects DoFns with timers in streaming mode (TranslationUtils.rejectTimers via"
          + " StatefulStreamingParDoEvaluator: \"DoFn cannot yet be used with timers in the SparkRunner\");"
          + " event-time timers need watermark propagation to stateful DoFns, apache/beam#23129. The CLI"
          + " refuses fraud on spark --streaming at start-up; batch runs give the model's answer";

  static final Conformance.Refusal REFUSED_ON_SPARK =
      new Conformance.Refusal(
          TestRunner.SPARK, SPARK_STREAMING_TIMERS, "cannot yet be used with timers in the SparkRunner");

  public FraudPipelineTest(TestRunner runner) {
    super(runner);
  }

  private PCollection<FraudAlert> fraud(String allowedLateness, TestStream<String> events) {
    FraudPipeline.Options o = pipeline.getOptions().as(FraudPipeline.Options.class);
    o.setFraudThreshold(5);
    o.setFraudWindow("PT60S");
    o.setAllowedLateness(allowedLateness);
    return pipeline.apply(events).apply(FraudPipeline.fraud(o)).results();
  }

  private static FraudAlert alert(String account, String txId, Duration at, long count, Duration burstStart) {
    return new FraudAlert(account, txId, T0.plus(at).getMillis(), count, T0.plus(burstStart).getMillis());
  }

  private static TestStream.Builder<String> events() {
    return TestStream.create(StringUtf8Coder.of()).advanceWatermarkTo(T0);
  }

  @Test
  public void fiveWithinWindowAlert() {
    TestStream<String> events =
        events()
            .addElements(
                transaction("t-1", "a-1", "1.00", sec(0)),
                transaction("t-2", "a-1", "1.00", sec(10)),
                transaction("t-3", "a-1", "1.00", sec(20)))
            .addElements(transaction("t-4", "a-1", "1.00", sec(30)), transaction("t-5", "a-1", "1.00", sec(59)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT0S", events)).containsInAnyOrder(alert("a-1", "t-5", sec(59), 5, sec(0)));
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void fourWithinWindowNoAlert() {
    TestStream<String> events =
        events()
            .addElements(
                transaction("t-1", "a-1", "1.00", sec(0)),
                transaction("t-2", "a-1", "1.00", sec(10)),
                transaction("t-3", "a-1", "1.00", sec(20)),
                transaction("t-4", "a-1", "1.00", sec(59)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT0S", events)).empty();
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void fifthAtWindowEndOpensNewBurst() {
    // [t0, t0 + 60 s) excludes its end: the 5th transaction at exactly t0 + 60 s is the 1st of a new burst.
    TestStream<String> events =
        events()
            .addElements(
                transaction("t-1", "a-1", "1.00", sec(0)),
                transaction("t-2", "a-1", "1.00", sec(10)),
                transaction("t-3", "a-1", "1.00", sec(20)),
                transaction("t-4", "a-1", "1.00", sec(30)),
                transaction("t-5", "a-1", "1.00", sec(60)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT0S", events)).empty();
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void outOfOrderWithinWatermarkGivesInOrderAlerts() {
    // Seven transactions in 60 s arrive scrambled (t-6 first, t-1 last), all before the watermark passes
    // them. In event-time order the 5th, 6th and 7th alert; ties at 30 s go by tx_id (t-4a before t-4b).
    TestStream<String> events =
        events()
            .addElements(transaction("t-6", "a-1", "1.00", sec(50)), transaction("t-4b", "a-1", "1.00", sec(30)))
            .addElements(transaction("t-3", "a-1", "1.00", sec(20)))
            .addElements(transaction("t-7", "a-1", "1.00", sec(55)), transaction("t-4a", "a-1", "1.00", sec(30)))
            .addElements(transaction("t-2", "a-1", "1.00", sec(10)))
            .addElements(transaction("t-1", "a-1", "1.00", sec(0)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT0S", events))
        .containsInAnyOrder(
            alert("a-1", "t-4b", sec(30), 5, sec(0)),
            alert("a-1", "t-6", sec(50), 6, sec(0)),
            alert("a-1", "t-7", sec(55), 7, sec(0)));
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void lateWithinAllowedLatenessIsProcessedInOrder() {
    // Allowed lateness 30 s. t-5 (5 s) arrives when the watermark is at 20 s: 15 s late, within the
    // allowed lateness, and after t-6 (10 s). It still takes its place in event-time order: t-5 is the
    // 5th (alert, count 5) and t-6 the 6th (count 6) — not the other way round.
    TestStream<String> events =
        events()
            .addElements(
                transaction("t-1", "a-1", "1.00", sec(1)),
                transaction("t-2", "a-1", "1.00", sec(2)),
                transaction("t-3", "a-1", "1.00", sec(3)),
                transaction("t-4", "a-1", "1.00", sec(4)),
                transaction("t-6", "a-1", "1.00", sec(10)))
            .advanceWatermarkTo(T0.plus(sec(20)))
            .addElements(transaction("t-5", "a-1", "1.00", sec(5)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT30S", events))
        .containsInAnyOrder(alert("a-1", "t-5", sec(5), 5, sec(1)), alert("a-1", "t-6", sec(10), 6, sec(1)));
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(0, Counters.of(result, DetectBursts.LATE_DROPPED));
            });
  }

  @Test
  public void droppedBeyondAllowedLateness() {
    // Allowed lateness 30 s. The watermark reaches 45 s, so t-1 … t-6 are decided (t-6 is the 5th: alert).
    // Then t-5 (5 s) arrives 40 s behind the watermark: dropped and counted; the alerts are unchanged.
    TestStream<String> events =
        events()
            .addElements(
                transaction("t-1", "a-1", "1.00", sec(1)),
                transaction("t-2", "a-1", "1.00", sec(2)),
                transaction("t-3", "a-1", "1.00", sec(3)),
                transaction("t-4", "a-1", "1.00", sec(4)),
                transaction("t-6", "a-1", "1.00", sec(10)))
            .advanceWatermarkTo(T0.plus(sec(45)))
            .addElements(transaction("t-5", "a-1", "1.00", sec(5)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT30S", events)).containsInAnyOrder(alert("a-1", "t-6", sec(10), 5, sec(1)));
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(1, Counters.of(result, DetectBursts.LATE_DROPPED));
            });
  }

  @Test
  public void twoAccountsInterleaved() {
    // a-1: 5 in 20 s (alert). a-2, interleaved: 3 then 3 more from 63 s, which open a new burst at
    // 63 s (the first burst covers [3 s, 63 s)): never 5 in one burst. State is per account.
    TestStream<String> events =
        events()
            .addElements(transaction("t-1", "a-1", "1.00", sec(0)), transaction("u-1", "a-2", "1.00", sec(3)))
            .addElements(transaction("t-2", "a-1", "1.00", sec(5)), transaction("u-2", "a-2", "1.00", sec(61)))
            .addElements(transaction("t-3", "a-1", "1.00", sec(10)), transaction("u-3", "a-2", "1.00", sec(62)))
            .addElements(transaction("t-4", "a-1", "1.00", sec(15)), transaction("u-4", "a-2", "1.00", sec(63)))
            .addElements(transaction("t-5", "a-1", "1.00", sec(20)), transaction("u-5", "a-2", "1.00", sec(64)))
            .addElements(transaction("u-6", "a-2", "1.00", sec(65)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT0S", events)).containsInAnyOrder(alert("a-1", "t-5", sec(20), 5, sec(0)));
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void expiredStateBehavesAsNewKey() {
    // Four transactions, then the watermark passes the burst's end (60 s): its expiry timer clears the
    // account's state. Five transactions 10 minutes later count from 1: the 5th alerts with count 5 and
    // the new burst_start, not count 9.
    TestStream<String> events =
        events()
            .addElements(
                transaction("t-1", "a-1", "1.00", sec(0)),
                transaction("t-2", "a-1", "1.00", sec(10)),
                transaction("t-3", "a-1", "1.00", sec(20)),
                transaction("t-4", "a-1", "1.00", sec(30)))
            .advanceWatermarkTo(T0.plus(min(5)))
            .addElements(
                transaction("t-5", "a-1", "1.00", min(10)),
                transaction("t-6", "a-1", "1.00", min(10).plus(sec(10))),
                transaction("t-7", "a-1", "1.00", min(10).plus(sec(20))),
                transaction("t-8", "a-1", "1.00", min(10).plus(sec(30))),
                transaction("t-9", "a-1", "1.00", min(10).plus(sec(40))))
            .advanceWatermarkTo(T0.plus(min(20)))
            .advanceWatermarkToInfinity();
    PAssert.that(fraud("PT0S", events))
        .containsInAnyOrder(alert("a-1", "t-9", min(10).plus(sec(40)), 5, min(10)));
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              // The account got fresh state twice: its first state had been cleared by the expiry timer before
              // t-5 arrived (otherwise t-5 would have replaced the burst in existing state). Both were cleared.
              assertEquals(2, Counters.of(result, DetectBursts.STATES_CREATED));
              assertEquals(2, Counters.of(result, DetectBursts.STATES_EXPIRED));
            });
  }

  @Test
  public void generatedDisorderedStreamEqualsModel() {
    // 3 000 generated events (about 1 500 transactions over 1 000 accounts, with bursts), 10% of them
    // 10 to 90 s behind the watermark. With 2 min of allowed lateness none is dropped: the alerts are
    // exactly the reference model's, whatever the arrival order.
    List<String> lines = generated(3_000, 5);
    DisorderedStream stream = new DisorderedStream(lines, 5, 0.10);
    TestStream<String> events = stream.testStream();
    assertEquals(lines.size(), stream.notLaterThan(120_000).size());
    List<String> expected = FraudModel.expected(lines, 5, 60_000);
    assertTrue("alerts expected: " + expected.size(), expected.size() >= 20);
    PAssert.that(fraudJson("PT2M", events)).containsInAnyOrder(expected);
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(0, Counters.of(result, DetectBursts.LATE_DROPPED));
            });
  }

  @Test
  public void generatedDisorderedStreamDropsExactlyTheTooLate() {
    // The same kind of stream with 20 s of allowed lateness: the transactions that arrive more than 20 s
    // behind the watermark are dropped and counted; the alerts are the model's over the others.
    List<String> lines = generated(3_000, 6);
    DisorderedStream stream = new DisorderedStream(lines, 6, 0.10);
    TestStream<String> events = stream.testStream();
    List<String> accepted = stream.notLaterThan(20_000);
    long tooLate = FraudModel.transactions(lines) - FraudModel.transactions(accepted);
    assertTrue("too-late transactions: " + tooLate, tooLate > 20);
    PAssert.that(fraudJson("PT20S", events)).containsInAnyOrder(FraudModel.expected(accepted, 5, 60_000));
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(tooLate, Counters.of(result, DetectBursts.LATE_DROPPED));
            });
  }

  static List<String> generated(int events, long seed) {
    List<String> lines = new ArrayList<>();
    EventGenerator.builder().events(events).seed(seed).badFraction(0.01).build().forEach(lines::add);
    return lines;
  }

  private PCollection<String> fraudJson(String allowedLateness, TestStream<String> events) {
    FraudPipeline.Options o = pipeline.getOptions().as(FraudPipeline.Options.class);
    o.setFraudThreshold(5);
    o.setFraudWindow("PT60S");
    o.setAllowedLateness(allowedLateness);
    return pipeline.apply(events).apply(FraudPipeline.fraud(o)).resultsAsJson();
  }
}
