package streams.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import streams.model.UserRevenue;
import streams.reference.RevenueModel;
import streams.pipelines.RevenuePipeline;
import streams.testing.Conformance;
import streams.testing.TestRunner;

/**
 * {@code --sink=kafka --exactlyOnce}: KafkaIO's transactional sink ({@code withEOS(2, group)}) as a
 * streaming job, output read with {@code isolation.level=read_committed}: exactly the model, no result
 * twice, nothing uncommitted visible.
 *
 * <ul>
 *   <li>flink: with checkpointing (1 s, EXACTLY_ONCE): transactions commit at each checkpoint.
 *   <li>direct: accepted and correct here, but the Direct runner keeps no checkpoint, so nothing is
 *       guaranteed after a crash (a test runner).
 *   <li>spark: rejected when the job starts ("Spark runner currently doesn't support @RequiresStableInput
 *       annotation", apache/beam#19107); the test asserts that refusal.
 * </ul>
 */
@RunWith(Parameterized.class)
public class KafkaExactlyOnceTest {
  @ClassRule public static final KafkaBroker BROKER = new KafkaBroker();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final int SHARDS = 2;
  private static final long WINDOW_MILLIS = 10_000;

  @Parameters(name = "{0}")
  public static Collection<Object[]> runners() {
    return Conformance.runners();
  }

  private final TestRunner runner;

  @Rule public final transient Conformance conformance;
  @Rule public final Timeout timeout = Timeout.seconds(240);

  public KafkaExactlyOnceTest(TestRunner runner) {
    this.runner = runner;
    this.conformance = new Conformance(runner);
  }

  @Test
  public void exactlyOnceReadCommitted() throws Exception {
    String input = "eos-events-" + runner;
    String output = "eos-revenue-" + runner;
    String deadLetters = output + "-dead-letter";
    Path work = TMP.newFolder(runner.toString()).toPath();
    RevenuePipeline.Options options = KafkaStreamingTest.revenueOptions(runner, work);
    if (runner == TestRunner.FLINK) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      flink.setCheckpointingInterval(1_000L);
      flink.setCheckpointingMode("EXACTLY_ONCE");
    }
    Pipeline pipeline = Pipeline.create(options);
    KafkaSourceConfig source =
        KafkaSourceConfig.unbounded(BROKER.bootstrapServers(), List.of(input))
            .withWatermark(org.joda.time.Duration.standardSeconds(5), org.joda.time.Duration.standardSeconds(3));
    Results<UserRevenue> results =
        pipeline.apply("ReadEvents", ReadEvents.fromKafka(source)).apply("Revenue", RevenuePipeline.revenue(options));
    options.setSink("kafka");
    options.setBootstrapServers(BROKER.bootstrapServers());
    options.setOutputTopic(output);
    options.setDeadLetterTopic(deadLetters);
    options.setExactlyOnce(true);
    options.setNumShards(SHARDS);
    WriteResults.to(results, SinkConfig.from(options, null));

    if (conformance.rejectedBy(
        TestRunner.SPARK,
        "KafkaIO's exactly-once sink is @RequiresStableInput, which the Spark runner rejects"
            + " (apache/beam#19107)")) {
      Exception e = assertThrows(Exception.class, pipeline::run);
      assertThat(e.getMessage(), containsString("Spark runner currently doesn't support @RequiresStableInput annotation"));
      return;
    }

    Map<String, String> logAppendTime = Map.of("message.timestamp.type", "LogAppendTime");
    BROKER.createTopic(input, 4, logAppendTime);
    // The sink keeps shard i's state on partition i: at least SHARDS partitions on both topics.
    BROKER.createTopic(output, 4, logAppendTime);
    BROKER.createTopic(deadLetters, SHARDS, logAppendTime);
    List<String> lines = KafkaStreamingTest.events(1_000, 23);
    List<String> expected = RevenueModel.expected(lines, WINDOW_MILLIS);
    expected.sort(null);
    List<String> bad = KafkaStreamingTest.malformed(lines);
    BROKER.produceRoundRobin(input, 4, lines);

    long t0 = System.nanoTime();
    PipelineResult job = StreamingJobs.start(pipeline);
    KafkaStreamingTest.progress(t0, "job started");
    try {
      BROKER.consumeUntil(output, true, Duration.ofSeconds(150), r -> r.size() >= expected.size() || ended(job));
      KafkaStreamingTest.progress(t0, "committed results read");
      BROKER.consumeUntil(deadLetters, true, Duration.ofSeconds(30), r -> r.size() >= bad.size() || ended(job));
      if (ended(job)) {
        job.waitUntilFinish();
        fail("the streaming job ended by itself: " + job.getState());
      }
    } finally {
      StreamingJobs.cancel(job);
    }
    List<ConsumerRecord<String, String>> committed = BROKER.consumeAll(output, true);
    assertEquals(
        expected, committed.stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList()));
    List<ConsumerRecord<String, String>> dead = BROKER.consumeAll(deadLetters, true);
    assertEquals(bad.size(), dead.size());
  }

  private static boolean ended(PipelineResult job) {
    try {
      return job.getState().isTerminal();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
