package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.io.KafkaBroker;
import streams.model.Json;
import streams.reference.RevenueModel;
import streams.testing.Conformance;
import streams.testing.TestRunner;

/**
 * {@code --readMode=toEnd} over small topics whose partitions do not end together, through the command line:
 * every event is read and the results are the model's. A topic of 1 000 events on two partitions, one
 * holding 30 of them and the other the rest, so one partition (on Spark, one split of the source) reaches
 * its end offset batches before the other. On Spark the source's watermark is the latest of its splits',
 * so the split that had reached its end moved the whole read to the end of time while the other still had
 * most of its records: those read after that were behind the watermark (every window expired) and dropped,
 * and the command line, which stops a Spark job once its watermark is at the end, could stop it before they
 * were read.
 */
class ReadToEndTest {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
  @TempDir static Path TMP;

  private static final String UNEVEN = "to-end-uneven";
  private static List<String> lines;

  static Collection<Object[]> runners() {
    return Conformance.runners();
  }

  @BeforeAll
  static void produce() throws Exception {
    lines = new ArrayList<>();
    EventGenerator.builder().events(1_000).seed(5).disorderMillis(2_000).lateFraction(0).badFraction(0).build()
        .forEach(lines::add);
    BROKER.createTopic(UNEVEN, 2, Map.of());
    try (KafkaProducer<String, String> producer = BROKER.producer()) {
      for (int i = 0; i < lines.size(); i++) {
        // Partition 0: every 33rd event (30 of them), spread over the stream's time; partition 1: the rest.
        producer.send(new ProducerRecord<>(UNEVEN, i % 33 == 0 ? 0 : 1, null, lines.get(i)));
      }
      producer.flush();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void revenueReadsPartitionsThatEndApartToTheirEnd(TestRunner runner) throws Exception {
    Path out = run(runner, "revenue", UNEVEN, "--window=PT10S", "--trigger=complete");
    Map<String, JsonNode> model = new TreeMap<>();
    for (String line : RevenueModel.expected(lines, 10_000)) {
      JsonNode n = Json.MAPPER.readTree(line);
      model.put(n.get("user_id").asText() + "|" + n.get("window_start").asText(), n);
    }
    // The last pane of each window (complete mode: every pane carries the window's total so far).
    Map<String, JsonNode> last = new TreeMap<>();
    for (String line : results(out)) {
      JsonNode n = Json.MAPPER.readTree(line);
      last.merge(
          n.get("user_id").asText() + "|" + n.get("window_start").asText(),
          n,
          (a, b) -> a.get("pane_index").asLong() >= b.get("pane_index").asLong() ? a : b);
    }
    java.util.Set<String> missing = new java.util.TreeSet<>(model.keySet());
    missing.removeAll(last.keySet());
    assertEquals(
        0,
        missing.size(),
        "windows of the model without a pane, of " + model.size() + ", e.g. " + missing.stream().limit(5).toList());
    assertEquals(model.keySet(), last.keySet());
    for (Map.Entry<String, JsonNode> e : model.entrySet()) {
      JsonNode pane = last.get(e.getKey());
      assertEquals(e.getValue().get("order_count").asLong(), pane.get("order_count").asLong(), e.getKey());
      assertEquals(
          new BigDecimal(e.getValue().get("total_amount").asText()),
          new BigDecimal(pane.get("total_amount").asText()),
          e.getKey());
    }
  }

  private Path run(TestRunner runner, String pipeline, String topic, String... extra) throws IOException {
    Path out = Files.createTempDirectory(TMP, "junit").resolve(pipeline);
    List<String> args = new ArrayList<>();
    args.add(pipeline);
    args.add("--runner=" + runner.name().toLowerCase());
    args.add("--source=kafka");
    args.add("--bootstrapServers=" + BROKER.bootstrapServers());
    args.add("--topic=" + topic);
    args.add("--output=" + out);
    args.add("--readMode=toEnd");
    args.add("--startFrom=earliest");
    args.add("--stopAfter=PT3M");
    args.addAll(List.of(extra));
    if (runner == TestRunner.SPARK) {
      // 100 records per split and micro-batch: the larger partition takes ten batches, the smaller one.
      args.add("--maxRecordsPerBatch=200");
    }
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(console, true, StandardCharsets.UTF_8));
    String summary = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, summary);
    assertThat(summary, containsString(": DONE, " + lines.size() + " events in"));
    return out;
  }

  private static List<String> results(Path dir) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return all;
  }
}
