package streams.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.TestFlinkRunner;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.TestSparkPipelineOptions;
import org.apache.beam.runners.spark.TestSparkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * The three runners as the TestStream scenarios use them: every runner in streaming mode.
 *
 * <ul>
 *   <li>Direct: the reference semantics of the Beam model.
 *   <li>Flink: the embedded mini-cluster in streaming mode with {@code --parallelism=1 --maxBundleSize=1}.
 *       With Flink's default bundling (1000 elements / 1 s), an element processed in the same bundle as a
 *       watermark advance can overtake it and a too-late element lands in the on-time pane (beam#20843,
 *       #20844, #20845); closing the bundle after each element makes the runner exact.
 *   <li>Spark: {@code TestSparkRunner} in streaming (DStream micro-batches, 200 ms each). The watermark of a
 *       batch is published when the batch completes, so it lags one micro-batch; TestSparkRunner stops the
 *       streaming context once the watermark reaches the end of time.
 * </ul>
 */
public enum TestRunner {
  DIRECT,
  FLINK,
  SPARK;

  public PipelineOptions streamingOptions() {
    PipelineOptions options = PipelineOptionsFactory.create();
    switch (this) {
      case DIRECT:
        options.setRunner(DirectRunner.class);
        break;
      case FLINK:
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(TestFlinkRunner.class);
        flink.setFlinkMaster("[local]");
        flink.setParallelism(1);
        flink.setMaxBundleSize(1L);
        flink.setObjectReuse(true); // as the command line runs Flink (Engines.FLINK_OBJECT_REUSE)
        flink.setStreaming(true);
        break;
      case SPARK:
        TestSparkPipelineOptions spark = options.as(TestSparkPipelineOptions.class);
        spark.setRunner(TestSparkRunner.class);
        spark.setSparkMaster("local[2]");
        spark.setStreaming(true);
        spark.setBatchIntervalMillis(200L);
        spark.setMinReadTimeMillis(100L);
        spark.setTestTimeoutSeconds(120L);
        break;
      default:
        throw new IllegalStateException();
    }
    options.as(StreamingOptions.class).setStreaming(true);
    return options;
  }

  /** Options for a batch run of the production runner (what scripts/run uses). */
  public PipelineOptions batchOptions() {
    PipelineOptions options = PipelineOptionsFactory.create();
    switch (this) {
      case DIRECT:
        options.setRunner(DirectRunner.class);
        break;
      case FLINK:
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(org.apache.beam.runners.flink.FlinkRunner.class);
        flink.setFlinkMaster("[local]");
        flink.setParallelism(2);
        flink.setObjectReuse(true); // as the command line runs Flink (Engines.FLINK_OBJECT_REUSE)
        break;
      case SPARK:
        SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
        spark.setRunner(org.apache.beam.runners.spark.SparkRunner.class);
        spark.setSparkMaster("local[2]");
        break;
      default:
        throw new IllegalStateException();
    }
    return options;
  }

  /** The runners the tests use: all, or those listed in {@code -Dtest.runners=direct,flink}. */
  public static List<TestRunner> chosen() {
    String only = System.getProperty("test.runners", "").trim().toLowerCase(Locale.ROOT);
    List<TestRunner> out = new ArrayList<>();
    for (TestRunner r : values()) {
      if (only.isEmpty() || Arrays.asList(only.split(",")).contains(r.toString())) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The runners of a long end-to-end test (a real broker, several jobs per runner): only {@code defaults} in
   * the default suite, so that it stays short; every runner with {@code -Dtest.all=true}, or those named in
   * {@code -Dtest.runners=...}. Which runners each such test leaves out by default is said in its Javadoc.
   */
  public static List<TestRunner> chosenForLongTests(TestRunner... defaults) {
    if (!System.getProperty("test.runners", "").trim().isEmpty() || Boolean.getBoolean("test.all")) {
      return chosen();
    }
    return List.of(defaults);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
