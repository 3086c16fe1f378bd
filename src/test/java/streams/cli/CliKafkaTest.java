package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import streams.generate.EventGenerator;
import streams.io.KafkaBroker;
import streams.reference.CompletedModel;

/**
 * The command line against the project's real broker: {@code scripts/generate --to-kafka} puts exactly the
 * generated events on the topic, and {@code scripts/run ... --source=kafka --sink=kafka --stopWhenIdle}
 * runs a streaming job that ends by itself with the model's results on the output topic.
 */
class CliKafkaTest {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
  private static final int EVENTS = 500;

  @Test
  void generateToKafkaThenRunUntilIdle() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    assertEquals(
        0,
        Cli.run(
            List.of("generate", "--to-kafka", "--bootstrapServers=" + BROKER.bootstrapServers(), "--topic=cli-events",
                "--events=" + EVENTS, "--seed=5", "--rate=1000"),
            out));
    assertThat(console.toString(StandardCharsets.UTF_8), containsString("sent " + EVENTS + " events to cli-events"));
    List<String> generated = new ArrayList<>();
    EventGenerator.builder().events(EVENTS).seed(5).build().forEach(generated::add);
    List<String> onTopic =
        BROKER.consumeAll("cli-events", false).stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList());
    List<String> sortedGenerated = new ArrayList<>(generated);
    sortedGenerated.sort(null);
    assertEquals(sortedGenerated, onTopic);

    console.reset();
    assertEquals(
        0,
        Cli.run(
            List.of("completed", "--runner=direct", "--source=kafka", "--bootstrapServers=" + BROKER.bootstrapServers(),
                "--topic=cli-events", "--sink=kafka", "--outputTopic=cli-completed", "--stopWhenIdle=PT5S",
                "--stopAfter=PT2M"),
            out));
    String summary = console.toString(StandardCharsets.UTF_8);
    assertThat(summary, containsString("(drained: idle for PT5S)"));
    assertThat(summary, containsString(EVENTS + " events in"));
    List<String> expected = new ArrayList<>(CompletedModel.expected(generated));
    expected.sort(null);
    List<String> results =
        BROKER.consumeAll("cli-completed", false).stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList());
    assertEquals(expected, results);
  }

  /**
   * {@code scripts/kafka produce TOPIC < FILE}, as the README has users fill a topic: lines without keys go
   * round-robin over the partitions, so that no partition stays empty and holds the watermark back.
   */
  @Test
  void scriptProduceSpreadsLinesOverEveryPartition() throws Exception {
    BROKER.createTopic("cli-produced", 4, java.util.Map.of());
    java.nio.file.Path lines = java.nio.file.Files.createTempFile("produce", ".jsonl");
    List<String> generated = new ArrayList<>();
    EventGenerator.builder().events(40).seed(6).build().forEach(generated::add);
    java.nio.file.Files.write(lines, generated, StandardCharsets.UTF_8);
    String port = BROKER.bootstrapServers().substring(BROKER.bootstrapServers().lastIndexOf(':') + 1);
    Process p =
        new ProcessBuilder("scripts/kafka", "produce", "cli-produced", "--port=" + port, "--dir=" + BROKER.dir())
            .redirectInput(lines.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertEquals(true, p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "scripts/kafka produce ended");
    assertEquals(0, p.exitValue());
    java.util.Map<Integer, Long> perPartition =
        BROKER.consumeAll("cli-produced", false).stream()
            .collect(Collectors.groupingBy(ConsumerRecord::partition, java.util.TreeMap::new, Collectors.counting()));
    assertEquals(java.util.Map.of(0, 10L, 1, 10L, 2, 10L, 3, 10L), perPartition);
    java.nio.file.Files.delete(lines);
  }
}
