package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streams.generate.EventGenerator;
import streams.io.KafkaBroker;
import streams.model.Json;
import streams.reference.RevenueModel;

/**
 * {@code --readMode=toEnd} on Spark over a backlog it reads faster than it processes: every event is
 * processed once and the results are the model's. Spark reads a micro-batch from Kafka when it generates the
 * batch, every batch interval, and keeps what it read in memory until the batch is processed; revenue with a
 * Kafka sink processes a batch in seconds, so a topic already full is read within seconds and waits in memory.
 * A block dropped for want of memory was computed again when its batch was processed, by reading again from
 * a reader that had moved on: its records were lost and the run still said DONE (before the fix: 181 522 of
 * 200 000 events in, 5 095 of the model's 60 242 windows without a pane, 807 with a wrong total).
 * {@link SparkSourceReads} keeps those blocks on disk instead.
 *
 * <p>Spark's memory is set low through {@code spark.testing.memory} (480 MiB, the least Spark accepts is 450:
 * 108 MiB of storage; this class runs in a JVM of its own, whose 3 GB heap would otherwise hold the whole
 * backlog, and then it passed without the fix). Without the fix: "DONE, 104714 events in". Long (one and a
 * half to three minutes): not in {@code scripts/test}; run it with {@code mvn -o test
 * -Dtest=SparkReadToEndBacklogIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SparkReadToEndBacklogIT {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  private static final String TOPIC = "to-end-backlog";
  private static final String OUT = "to-end-backlog-out";
  private static final int EVENTS = 200_000;
  private static List<String> lines;

  @BeforeAll
  static void produce() throws Exception {
    // Spark's unified memory becomes 60 % of what is above its 300 MiB reserve: 108 MiB.
    System.setProperty("spark.testing.memory", Long.toString(480L << 20));
    lines = new ArrayList<>();
    EventGenerator.builder().events(EVENTS).seed(42).lateFraction(0).badFraction(0).build().forEach(lines::add);
    BROKER.createTopic(TOPIC, 4, Map.of("message.timestamp.type", "LogAppendTime"));
    try (KafkaProducer<String, String> producer = BROKER.producer()) {
      for (int i = 0; i < lines.size(); i++) {
        producer.send(new ProducerRecord<>(TOPIC, i % 4, null, lines.get(i)));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void memoryBack() {
    System.clearProperty("spark.testing.memory");
  }

  @Test
  void revenueProcessesEveryEventOfABacklogReadFasterThanProcessed() throws Exception {
    List<String> args =
        List.of(
            "revenue",
            "--runner=spark",
            "--source=kafka",
            "--bootstrapServers=" + BROKER.bootstrapServers(),
            "--topic=" + TOPIC,
            "--sink=kafka",
            "--outputTopic=" + OUT,
            "--readMode=toEnd",
            "--startFrom=earliest",
            "--stopAfter=PT10M",
            "--window=PT1M",
            "--trigger=complete");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(console, true, StandardCharsets.UTF_8));
    String summary = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, summary);
    assertThat(summary, containsString(": DONE, " + EVENTS + " events in"));

    Map<String, JsonNode> model = new TreeMap<>();
    for (String line : RevenueModel.expected(lines, 60_000)) {
      JsonNode n = Json.MAPPER.readTree(line);
      model.put(n.get("user_id").asText() + "|" + n.get("window_start").asText(), n);
    }
    // The last pane of each window (complete mode: every pane carries the window's total so far).
    Map<String, JsonNode> last = new TreeMap<>();
    for (ConsumerRecord<String, String> r : BROKER.consumeAll(OUT, true)) {
      JsonNode n = Json.MAPPER.readTree(r.value());
      last.merge(
          n.get("user_id").asText() + "|" + n.get("window_start").asText(),
          n,
          (a, b) -> a.get("pane_index").asLong() >= b.get("pane_index").asLong() ? a : b);
    }
    TreeSet<String> missing = new TreeSet<>(model.keySet());
    missing.removeAll(last.keySet());
    assertEquals(
        0,
        missing.size(),
        "windows of the model without a pane, of " + model.size() + ", e.g. " + missing.stream().limit(5).toList());
    assertEquals(model.keySet(), last.keySet());
    int wrong = 0;
    for (Map.Entry<String, JsonNode> e : model.entrySet()) {
      JsonNode pane = last.get(e.getKey());
      if (e.getValue().get("order_count").asLong() != pane.get("order_count").asLong()
          || new BigDecimal(e.getValue().get("total_amount").asText())
                  .compareTo(new BigDecimal(pane.get("total_amount").asText()))
              != 0) {
        wrong++;
      }
    }
    assertEquals(0, wrong, "windows whose last pane differs from the model, of " + model.size());
  }
}
