package streams.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static streams.testing.Events.T0;
import static streams.testing.Events.min;
import static streams.testing.Events.order;
import static streams.testing.Events.payment;
import static streams.testing.Events.sec;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import streams.model.OrderPayment;
import streams.reference.JoinModel;
import streams.testing.Conformance;
import streams.testing.Counters;
import streams.testing.DisorderedStream;
import streams.testing.StreamingPipelineTest;
import streams.testing.TestRunner;
import streams.transforms.JoinPaymentsToOrders;

/**
 * Event-time semantics of {@code join}, pinned with TestStream on every runner: interval {@code [-10 s,
 * +5 min]}, bounds included; allowed lateness as each scenario says. Orders of 12.50, payments of 12.50.
 */
@RunWith(Parameterized.class)
public class JoinPipelineTest extends StreamingPipelineTest {
  static final String SPARK_STREAMING_TIMERS =
      "the Spark runner rejects DoFns with timers in streaming mode (TranslationUtils.rejectTimers via"
          + " StatefulStreamingParDoEvaluator: \"DoFn cannot yet be used with timers in the SparkRunner\");"
          + " the join's buffers expire by event-time timers, which need watermark propagation to stateful"
          + " DoFns, apache/beam#23129. The CLI refuses join on spark --streaming at start-up; batch runs"
          + " give the model's answer";

  static final Conformance.Refusal REFUSED_ON_SPARK =
      new Conformance.Refusal(
          TestRunner.SPARK, SPARK_STREAMING_TIMERS, "cannot yet be used with timers in the SparkRunner");

  public JoinPipelineTest(TestRunner runner) {
    super(runner);
  }

  private PCollection<OrderPayment> join(String allowedLateness, TestStream<String> events) {
    JoinPipeline.Options o = pipeline.getOptions().as(JoinPipeline.Options.class);
    o.setJoinLowerBound("-PT10S");
    o.setJoinUpperBound("PT5M");
    o.setAllowedLateness(allowedLateness);
    return pipeline.apply(events).apply(JoinPipeline.join(o)).results();
  }

  private static OrderPayment pair(String orderId, String paymentId, Duration createdAt, Duration paidAt) {
    return new OrderPayment(
        orderId, paymentId, "u-1", 1250, 1250, T0.plus(createdAt).getMillis(), T0.plus(paidAt).getMillis());
  }

  private static TestStream.Builder<String> events() {
    return TestStream.create(StringUtf8Coder.of()).advanceWatermarkTo(T0);
  }

  @Test
  public void paymentBeforeOrderLowerBound() {
    // Both payments arrive before their order. p-1 is paid exactly 10 s before the order (included),
    // p-2 10.001 s before (excluded).
    TestStream<String> events =
        events()
            .addElements(
                payment("p-1", "o-1", "12.50", sec(50)),
                payment("p-2", "o-1", "12.50", Duration.millis(49_999)))
            .addElements(order("o-1", "u-1", "12.50", min(1)))
            .advanceWatermarkTo(T0.plus(min(30)))
            .advanceWatermarkToInfinity();
    PAssert.that(join("PT0S", events)).containsInAnyOrder(pair("o-1", "p-1", min(1), sec(50)));
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void upperBound() {
    // p-1 paid exactly 5 min after the order (included), p-2 5 min 1 ms after (excluded).
    TestStream<String> events =
        events()
            .addElements(order("o-1", "u-1", "12.50", sec(0)))
            .addElements(payment("p-1", "o-1", "12.50", min(5)))
            .addElements(payment("p-2", "o-1", "12.50", min(5).plus(Duration.millis(1))))
            .advanceWatermarkTo(T0.plus(min(30)))
            .advanceWatermarkToInfinity();
    PAssert.that(join("PT0S", events)).containsInAnyOrder(pair("o-1", "p-1", sec(0), min(5)));
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void severalAndDuplicatePayments() {
    // Two payments of one order each join; a payment delivered twice (same record) joins twice: the
    // join is of records, it does not deduplicate.
    TestStream<String> events =
        events()
            .addElements(order("o-1", "u-1", "12.50", sec(0)))
            .addElements(payment("p-1", "o-1", "12.50", sec(30)), payment("p-2", "o-1", "12.50", min(2)))
            .addElements(payment("p-2", "o-1", "12.50", min(2)))
            .advanceWatermarkTo(T0.plus(min(30)))
            .advanceWatermarkToInfinity();
    PAssert.that(join("PT0S", events))
        .containsInAnyOrder(
            pair("o-1", "p-1", sec(0), sec(30)),
            pair("o-1", "p-2", sec(0), min(2)),
            pair("o-1", "p-2", sec(0), min(2)));
    conformance.runUnlessRefused(pipeline, REFUSED_ON_SPARK);
  }

  @Test
  public void paymentWithoutOrder() {
    // p-9 has no order: no result, and its buffer entry expires by timer like every other.
    TestStream<String> events =
        events()
            .addElements(order("o-1", "u-1", "12.50", sec(0)), payment("p-9", "o-9", "12.50", sec(5)))
            .addElements(payment("p-1", "o-1", "12.50", sec(20)))
            .advanceWatermarkTo(T0.plus(min(30)))
            .advanceWatermarkToInfinity();
    PAssert.that(join("PT0S", events)).containsInAnyOrder(pair("o-1", "p-1", sec(0), sec(20)));
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(3, Counters.of(result, JoinPaymentsToOrders.BUFFERED));
              assertEquals(3, Counters.of(result, JoinPaymentsToOrders.EXPIRED));
            });
  }

  @Test
  public void lateArrivals() {
    // Allowed lateness 1 min; the watermark is at 1 min 30 s when the late records arrive.
    // p-1 (40 s, 50 s late) joins o-1; p-2 (20 s, 70 s late) is dropped although o-1 is still buffered;
    // o-3 (45 s, 45 s late) joins p-3 that arrived on time; o-2 (10 s, 80 s late) is dropped, so its
    // on-time payment p-4 stays alone.
    TestStream<String> events =
        events()
            .addElements(order("o-1", "u-1", "12.50", sec(0)))
            .addElements(payment("p-3", "o-3", "12.50", sec(50)), payment("p-4", "o-2", "12.50", sec(15)))
            .advanceWatermarkTo(T0.plus(sec(90)))
            .addElements(payment("p-1", "o-1", "12.50", sec(40)))
            .addElements(payment("p-2", "o-1", "12.50", sec(20)))
            .addElements(order("o-3", "u-1", "12.50", sec(45)))
            .addElements(order("o-2", "u-1", "12.50", sec(10)))
            .advanceWatermarkTo(T0.plus(min(30)))
            .advanceWatermarkToInfinity();
    PCollection<OrderPayment> out = join("PT1M", events);
    if (conformance.deviatesOn(
        TestRunner.FLINK,
        "the join's input watermark is the minimum of its two inputs' (orders, payments) watermarks, and"
            + " Flink delivers the two input channels of the keyed operator in no fixed order: a record can"
            + " be processed before the other channel's watermark advance has arrived, so a record Direct"
            + " drops may still be accepted (and then joins its partner). Accepted records always join")) {
      // Each too-late record is either dropped and counted, or accepted and joined with its partner.
      PAssert.that(out)
          .satisfies(
              results -> {
                List<OrderPayment> extras = new ArrayList<>();
                results.forEach(extras::add);
                assertTrue(extras.remove(pair("o-1", "p-1", sec(0), sec(40))));
                assertTrue(extras.remove(pair("o-3", "p-3", sec(45), sec(50))));
                extras.removeAll(
                    List.of(pair("o-1", "p-2", sec(0), sec(20)), pair("o-2", "p-4", sec(10), sec(15))));
                assertEquals("only too-late records' pairs may be added", List.of(), extras);
                return null;
              });
      PipelineResult result = pipeline.run();
      // Two accepted pairs, and each of the two too-late records either dropped or joined.
      assertEquals(
          4, Counters.of(result, JoinPaymentsToOrders.LATE_DROPPED) + Counters.of(result, "results_out"));
      return;
    }
    PAssert.that(out)
        .containsInAnyOrder(pair("o-1", "p-1", sec(0), sec(40)), pair("o-3", "p-3", sec(45), sec(50)));
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(2, Counters.of(result, JoinPaymentsToOrders.LATE_DROPPED));
            });
  }

  @Test
  public void generatedDisorderedStreamEqualsModel() {
    // 3 000 generated events (orders, payments before and after their order, some outside the interval,
    // some paid twice), 10% of them 10 to 90 s behind the watermark. With 2 min of allowed lateness none
    // is dropped: the pairs are exactly the reference model's, whatever the arrival order.
    List<String> lines = FraudPipelineTest.generated(3_000, 8);
    DisorderedStream stream = new DisorderedStream(lines, 8, 0.10);
    TestStream<String> events = stream.testStream();
    assertEquals(lines.size(), stream.notLaterThan(120_000).size());
    List<String> expected = JoinModel.expected(lines, -10_000, 300_000);
    assertTrue("pairs expected: " + expected.size(), expected.size() >= 100);
    JoinPipeline.Options o = pipeline.getOptions().as(JoinPipeline.Options.class);
    o.setAllowedLateness("PT2M");
    PAssert.that(pipeline.apply(events).apply(JoinPipeline.join(o)).resultsAsJson()).containsInAnyOrder(expected);
    conformance
        .runUnlessRefused(pipeline, REFUSED_ON_SPARK)
        .ifPresent(
            result -> {
              assertEquals(0, Counters.of(result, JoinPaymentsToOrders.LATE_DROPPED));
              assertEquals(Counters.of(result, JoinPaymentsToOrders.BUFFERED), Counters.of(result, JoinPaymentsToOrders.EXPIRED));
            });
  }
}
