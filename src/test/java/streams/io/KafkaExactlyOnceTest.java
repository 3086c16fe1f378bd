package streams.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.model.UserRevenue;
import streams.pipelines.RevenuePipeline;
import streams.reference.RevenueModel;
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
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KafkaExactlyOnceTest {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
  @TempDir static Path TMP;

  private static final int SHARDS = 2;
  private static final long WINDOW_MILLIS = 10_000;

  static Collection<Object[]> runners() {
    return Conformance.runners();
  }

  @RegisterExtension final Conformance conformance = new Conformance();

  /**
   * A transaction whose commit is interrupted, as Flink interrupts a task it cancels for a restart: Kafka's
   * own producer is then stuck (every other call is refused until the commit is retried, and Beam's sink
   * takes the same producer from its cache after the restart); the sink's {@link TransactionalProducer}
   * finishes the commit, passes the interrupt on, and goes on with the next transaction.
   */
  @org.junit.jupiter.api.Test
  void anInterruptedCommitCompletesAndTheProducerGoesOn() throws Exception {
    String topic = "eos-interrupted-commit";
    BROKER.createTopic(topic, 1, Map.of());
    try (Producer<String, String> kafka = transactional("raw")) {
      kafka.beginTransaction();
      kafka.send(new ProducerRecord<>(topic, "k", "raw-1"));
      Thread.currentThread().interrupt();
      assertThrows(InterruptException.class, kafka::commitTransaction);
      Thread.interrupted();
      IllegalStateException stuck = assertThrows(IllegalStateException.class, kafka::beginTransaction);
      assertThat(stuck.getMessage(), containsString("previous call to `commitTransaction` timed out and must be retried"));
    }
    try (Producer<String, String> sink = TransactionalProducer.create(config("wrapped"))) {
      sink.initTransactions();
      sink.beginTransaction();
      sink.send(new ProducerRecord<>(topic, "k", "wrapped-1"));
      Thread.currentThread().interrupt();
      sink.commitTransaction();
      assertEquals(true, Thread.interrupted(), "the interrupt is passed on");
      sink.beginTransaction();
      sink.send(new ProducerRecord<>(topic, "k", "wrapped-2"));
      sink.commitTransaction();
    }
    List<String> committed =
        BROKER.consumeAll(topic, true).stream().map(ConsumerRecord::value).collect(Collectors.toList());
    // The raw producer's commit failed for its caller, yet the broker committed it: a caller that takes the
    // exception for "not committed" and writes the records again writes them twice.
    assertEquals(List.of("raw-1", "wrapped-1", "wrapped-2"), committed);
  }

  /**
   * The sink's producers retry after 10 ms, not Kafka's 100 ms: each of Beam's transactions on Flink holds one
   * result, and the next one's first calls wait out the previous one's markers ({@link
   * TransactionalProducer#RETRY_BACKOFF_MILLIS}); a back-off set by the caller is kept.
   */
  @org.junit.jupiter.api.Test
  void theSinksProducersRetryAfterTenMillisUnlessTold() {
    assertEquals(10, TransactionalProducer.tuned(config("a")).get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG));
    Map<String, Object> own = new java.util.HashMap<>(config("b"));
    own.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 250);
    assertEquals(250, TransactionalProducer.tuned(own).get(ProducerConfig.RETRY_BACKOFF_MS_CONFIG));
  }

  private static Map<String, Object> config(String id) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "eos-interrupted-" + id,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
  }

  private static Producer<String, String> transactional(String id) {
    KafkaProducer<String, String> producer = new KafkaProducer<>(config(id));
    producer.initTransactions();
    return producer;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void exactlyOnceReadCommitted(TestRunner runner) throws Exception {
    String input = "eos-events-" + runner;
    String output = "eos-revenue-" + runner;
    String deadLetters = output + "-dead-letter";
    Path work = Files.createDirectory(TMP.resolve(runner.toString()));
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
