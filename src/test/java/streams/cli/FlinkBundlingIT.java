package streams.cli;

import static streams.testing.Events.T0;
import static streams.testing.Events.min;
import static streams.testing.Events.order;

import static org.junit.Assert.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import streams.model.UserRevenue;
import streams.pipelines.RevenuePipeline;
import streams.testing.Conformance;
import streams.testing.TestRunner;

/**
 * Why the Flink scenarios run with {@code --maxBundleSize=1 --parallelism=1}: with the Flink runner's
 * default bundling (up to 1000 elements per bundle), the output watermark is held while a bundle is open,
 * so an element that arrives after a watermark advance but in the same bundle overtakes it. Here a
 * too-late order (15 minutes behind the end of its window, allowed lateness 10 minutes) lands in the
 * on-time pane instead of being dropped (apache/beam#20843, #20844, #20845).
 *
 * <p>The wrong answer itself depends on bundle timing: runs here gave either one on-time pane counting 3
 * orders (the too-late one included) or an on-time pane counting 0 orders. So this is a probe outside the
 * default suite, asserting only that the answer is not the Beam model's: {@code mvn test
 * -Dtest=FlinkBundlingIT}.
 */
public class FlinkBundlingIT {
  private static FlinkPipelineOptions options() {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(TestFlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setStreaming(true);
    o.setParallelism(2);
    return o;
  }

  @Rule public final transient TestPipeline pipeline = TestPipeline.fromOptions(options());
  @Rule public final transient Conformance conformance = new Conformance(TestRunner.FLINK);

  @Test
  public void droppedBeyondAllowedLatenessWithDefaultBundling() {
    TestStream<String> events =
        TestStream.create(StringUtf8Coder.of())
            .advanceWatermarkTo(T0)
            .addElements(order("o-1", "u-1", "10.00", min(1)), order("o-2", "u-1", "5.50", min(5)))
            .advanceWatermarkTo(T0.plus(min(61)))
            .advanceWatermarkTo(T0.plus(min(75)))
            .addElements(order("o-3", "u-1", "4.50", min(30)))
            .advanceWatermarkToInfinity();
    RevenuePipeline.Options o = pipeline.getOptions().as(RevenuePipeline.Options.class);
    o.setWindow("PT1H");
    o.setAllowedLateness("PT10M");
    PCollection<UserRevenue> out = pipeline.apply(events).apply(RevenuePipeline.revenue(o)).results();
    conformance.deviatesOn(
        TestRunner.FLINK,
        "with default bundling (maxBundleSize 1000, parallelism 2) the too-late order overtakes the"
            + " watermark inside a bundle and is counted in the on-time pane (beam#20843/#20844/#20845);"
            + " exact with --maxBundleSize=1 --parallelism=1");
    long end = T0.plus(Duration.standardHours(1)).getMillis();
    UserRevenue model = new UserRevenue("u-1", T0.getMillis(), end, 2, 1550, "ON_TIME", 0, false);
    PAssert.that(out)
        .satisfies(
            panes -> {
              List<UserRevenue> got = new ArrayList<>();
              panes.forEach(got::add);
              System.out.println("Flink with default bundling answered: " + got);
              assertNotEquals("the Beam model's answer", List.of(model), got);
              return null;
            });
    pipeline.run();
  }
}
