package streams.pipelines;

import static org.junit.Assert.assertEquals;
import static streams.testing.Events.T0;
import static streams.testing.Events.min;
import static streams.testing.Events.order;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Iterables;
import org.joda.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import streams.io.Results;
import streams.model.OrderMetric;
import streams.testing.StreamingPipelineTest;
import streams.testing.TestRunner;

/** {@code completed} with TestStream on every runner: a stateless filter + map, late data included. */
@RunWith(Parameterized.class)
public class CompletedPipelineTest extends StreamingPipelineTest {
  public CompletedPipelineTest(TestRunner runner) {
    super(runner);
  }

  private static OrderMetric metric(String orderId, String userId, long cents, Duration at) {
    return new OrderMetric(orderId, userId, cents, T0.plus(at).getMillis());
  }

  @Test
  public void completedOrdersOnly() {
    // Pending and cancelled orders are filtered out; o-4 arrives an hour behind the watermark and still
    // comes out (no window, no state: nothing is ever late); a malformed line goes to dead letters.
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .advanceWatermarkTo(T0)
            .addElements(
                order("o-1", "u-1", "10.00", min(1)),
                order("o-2", "u-1", "5.50", "PENDING", min(2)),
                order("o-3", "u-2", "\"3.10\"", "CANCELLED", min(3)))
            .addElements(order("o-5", "u-2", "\"7.05\"", min(4)))
            .advanceWatermarkTo(T0.plus(min(90)))
            .addElements(order("o-4", "u-3", "1", min(5)))
            .addElements(TimestampedValue.of("{not json", T0.plus(min(90))))
            .advanceWatermarkToInfinity();
    CompletedPipeline.Options options = pipeline.getOptions().as(CompletedPipeline.Options.class);
    Results<OrderMetric> results = pipeline.apply(events).apply(CompletedPipeline.completed(options));
    PCollection<OrderMetric> out = results.results();
    PAssert.that(out)
        .containsInAnyOrder(
            metric("o-1", "u-1", 1000, min(1)), metric("o-5", "u-2", 705, min(4)), metric("o-4", "u-3", 100, min(5)));
    PAssert.that(results.resultsAsJson())
        .containsInAnyOrder(
            "{\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":10.00,\"created_at\":\"2026-01-15T10:01:00.000Z\"}",
            "{\"order_id\":\"o-5\",\"user_id\":\"u-2\",\"amount\":7.05,\"created_at\":\"2026-01-15T10:04:00.000Z\"}",
            "{\"order_id\":\"o-4\",\"user_id\":\"u-3\",\"amount\":1.00,\"created_at\":\"2026-01-15T10:05:00.000Z\"}");
    PAssert.that(results.deadLetters())
        .satisfies(
            deadLetters -> {
              assertEquals("{not json", Iterables.getOnlyElement(deadLetters).raw());
              return null;
            });
    pipeline.run();
  }
}
