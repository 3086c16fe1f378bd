package streams.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.model.DeadLetter;
import streams.model.Json;
import streams.pipelines.RevenuePipeline;
import streams.reference.RevenueModel;
import streams.testing.Conformance;
import streams.testing.HostileCorpus;
import streams.testing.TestRunner;

/**
 * The hostile corpus through Kafka: {@code revenue} as a streaming job on each runner (Kafka in, Kafka
 * out, the runner's default settings). 10 000 hostile messages and 3 over 1 MiB (the input topic accepts 8
 * MiB) are mixed into the generated stream of {@link KafkaStreamingTest}, with two valid orders dated far in
 * the future (2126 and 9999) near its end. The job keeps running; every hostile message and both far-future
 * orders arrive on the dead-letter topic (those two with the event-time jump as reason, having moved no
 * watermark), no dead letter keeps more than 64 Ki characters, and the results equal the model of the
 * other valid messages: the far-future orders did not make the rest late.
 *
 * <p>In the default suite on Flink only: {@code scripts/test -Dtest.all=true} or {@code
 * -Dtest.runners=direct,flink,spark} runs it on every runner.
 */
@Timeout(value = 420, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KafkaHostileCorpusTest {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
  @TempDir static Path TMP;

  private static final int PARTITIONS = 4;
  private static final int MAX_MESSAGE_BYTES = 8 << 20;
  private static final String FUTURE_2126 =
      "{\"type\":\"order\",\"order_id\":\"o-future-1\",\"user_id\":\"u-future\",\"amount\":1.00,"
          + "\"status\":\"COMPLETED\",\"created_at\":\"2126-01-15T10:00:00Z\"}";
  private static final String FUTURE_9999 =
      "{\"type\":\"order\",\"order_id\":\"o-future-2\",\"user_id\":\"u-future\",\"amount\":1.00,"
          + "\"status\":\"COMPLETED\",\"created_at\":\"9999-12-31T23:59:59.999Z\"}";

  static Collection<Object[]> runners() {
    return Conformance.longRunners(TestRunner.FLINK);
  }


  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void everyHostileMessageIsADeadLetterAndTheResultsEqualTheModel(TestRunner runner) throws Exception {
    String input = "hostile-" + runner;
    String output = "hostile-revenue-" + runner;
    String deadLetters = output + "-dead-letter";
    Map<String, String> logAppendTime = Map.of("message.timestamp.type", "LogAppendTime");
    BROKER.createTopic(
        input,
        PARTITIONS,
        Map.of("message.timestamp.type", "LogAppendTime", "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    BROKER.createTopic(output, PARTITIONS, logAppendTime);
    BROKER.createTopic(deadLetters, 1, logAppendTime);

    // The generated stream (1% malformed), hostile messages mixed in, the closing transaction last.
    List<String> stream = KafkaStreamingTest.events(2_000, 11);
    String closing = stream.remove(stream.size() - 1);
    HostileCorpus corpus = HostileCorpus.mix(stream, 10_000, 3, 7, List.of());
    List<byte[]> values = new ArrayList<>(corpus.bytes());
    int late = values.size() * 9 / 10; // after every partition has defined its event time
    values.add(late, FUTURE_2126.getBytes(StandardCharsets.UTF_8));
    values.add(late + 7, FUTURE_9999.getBytes(StandardCharsets.UTF_8));
    values.add(closing.getBytes(StandardCharsets.UTF_8));

    List<String> decoded = new ArrayList<>();
    for (byte[] v : values) {
      decoded.add(new String(v, StandardCharsets.UTF_8));
    }
    List<String> modelInput = new ArrayList<>(decoded);
    modelInput.remove(FUTURE_2126);
    modelInput.remove(FUTURE_9999);
    List<String> expected = RevenueModel.expected(modelInput, 10_000L);
    expected.sort(null);
    long expectedDead = RevenueModel.deadLetters(decoded) + 2;
    assertThat(expected.size(), greaterThan(3));
    assertThat(expectedDead, greaterThan(10_000L));

    Path work = Files.createDirectory(TMP.resolve("hostile-" + runner));
    RevenuePipeline.Options options = KafkaStreamingTest.revenueOptions(runner, work);
    KafkaStreamingTest.kafkaToKafka(options, BROKER.bootstrapServers(), input, output);
    Pipeline pipeline = Pipeline.create(options);
    RevenuePipeline.build(pipeline, options);
    produceRoundRobin(input, values);

    long t0 = System.nanoTime();
    PipelineResult job = StreamingJobs.start(pipeline);
    try {
      BROKER.consumeUntil(output, false, Duration.ofSeconds(240), r -> r.size() >= expected.size() || ended(job));
      BROKER.consumeUntil(deadLetters, false, Duration.ofSeconds(60), r -> r.size() >= expectedDead || ended(job));
      if (ended(job)) {
        job.waitUntilFinish();
        fail("the streaming job ended by itself: " + job.getState());
      }
    } finally {
      StreamingJobs.cancel(job);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;

    List<String> results =
        BROKER.consumeAll(output, false).stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList());
    assertEquals(expected, results);
    List<ConsumerRecord<String, String>> dead = BROKER.consumeAll(deadLetters, false);
    assertEquals(expectedDead, dead.size());
    List<String> jumps = new ArrayList<>();
    for (ConsumerRecord<String, String> r : dead) {
      JsonNode node = Json.MAPPER.readTree(r.value());
      assertThat(node.get("raw").textValue().length(), lessThanOrEqualTo(DeadLetter.MAX_RAW_CHARS));
      if (node.get("error").textValue().endsWith("more than --maxEventTimeJump allows")) {
        jumps.add(node.get("raw").textValue());
      }
    }
    jumps.sort(null);
    assertEquals(List.of(FUTURE_2126, FUTURE_9999), jumps);
    System.out.println(
        "hostile corpus through Kafka on " + runner + ": " + values.size() + " messages, " + dead.size()
            + " dead letters (" + corpus.hostileLines() + " hostile, 2 far-future, the rest the generator's"
            + " malformed lines), " + results.size() + " results = model, " + millis + " ms");
  }

  private static void produceRoundRobin(String topic, List<byte[]> values) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, values.get(i))));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(); // a message the broker refused fails the test here
      }
    }
  }

  private static boolean ended(PipelineResult job) {
    try {
      return job.getState().isTerminal();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
