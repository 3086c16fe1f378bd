package streams.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.io.KafkaBroker;
import streams.reference.CompletedModel;
import streams.testing.Conformance;
import streams.testing.TestRunner;

/**
 * The Kafka source as a consumer group, through the command line and the real broker, on each runner: a
 * streaming job that stops ({@code --stopWhenIdle}) and is started again without a checkpoint resumes where
 * the group left off. N events are produced and read by a first run ({@code --startFrom=committed}, the
 * default group of the pipeline and topic); M more are produced; a second run writes exactly the model of
 * the M new events, none of the first N. A third run with {@code --startFrom=earliest} reads all N + M,
 * whatever the group committed. Each run writes to its own output topic.
 *
 * <p>Direct (a test runner) re-reads the tail of the first run: the offsets of its last read bundles are not
 * committed before the job is cancelled (pinned below).
 *
 * <p>In the default suite on Flink only (several jobs a runner): {@code scripts/test -Dtest.all=true} or
 * {@code -Dtest.runners=direct,flink,spark} runs it on every runner.
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CliKafkaResumeTest {
  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  static Collection<Object[]> runners() {
    return Conformance.longRunners(TestRunner.FLINK);
  }

  private static List<String> events(long count, long seed) {
    List<String> lines = new ArrayList<>();
    EventGenerator.builder().events(count).seed(seed).badFraction(0).build().forEach(lines::add);
    return lines;
  }

  /** Runs {@code completed} from {@code topic} to {@code output} until idle; returns the console. */
  private static String run(TestRunner runner, String topic, String output, String startFrom) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    int code =
        Cli.run(
            List.of("completed", "--runner=" + runner, "--source=kafka", "--bootstrapServers=" + BROKER.bootstrapServers(),
                "--topic=" + topic, "--startFrom=" + startFrom, "--sink=kafka", "--outputTopic=" + output,
                "--stopWhenIdle=PT8S", "--stopAfter=PT3M"),
            out);
    String text = console.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertEquals(0, code, "exit code; console:\n" + text);
    assertThat(text, containsString("as group portable-streams.completed." + topic + ", from " + startFrom));
    return text;
  }

  private static List<String> results(String topic) {
    return BROKER.consumeAll(topic, false).stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList());
  }

  private static List<String> model(List<String> lines) {
    List<String> expected = new ArrayList<>(CompletedModel.expected(lines));
    expected.sort(null);
    return expected;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void restartWithoutCheckpointResumesWhereTheGroupLeftOff(TestRunner runner) throws Exception {
    String topic = "resume-events-" + runner;
    BROKER.createTopic(topic, 4, Map.of());
    // Output topics made beforehand: a topic the sink creates on its first write may still be electing its
    // leader, and the producer's retry then fails the job (OutOfOrderSequenceException), whose restart from
    // the last checkpoint writes some results twice (at-least-once), which is not what this test is about.
    for (int i = 1; i <= 3; i++) {
      BROKER.createTopic("resume-" + i + "-" + runner, 4, Map.of());
    }
    List<String> first = events(300, 31);
    List<String> second = events(200, 32);

    BROKER.produceRoundRobin(topic, 4, first);
    String run1 = run(runner, topic, "resume-1-" + runner, "committed");
    assertEquals(model(first), results("resume-1-" + runner), "first run: the first " + first.size() + " events");

    BROKER.produceRoundRobin(topic, 4, second);
    String run2 = run(runner, topic, "resume-2-" + runner, "committed");
    List<String> resumed = results("resume-2-" + runner);
    if (runner == TestRunner.DIRECT) {
      // Direct: the offsets of the first run's last read bundles are not committed by the time the job is
      // cancelled (cancel stops its executor), so the second run reads them again: at-least-once. It still
      // resumes: most of the first run is not read again.
      List<String> again = new ArrayList<>(resumed);
      for (String r : model(second)) {
        assertThat("second run misses " + r, again.remove(r), org.hamcrest.Matchers.is(true));
      }
      assertThat("re-read results belong to the first run", model(first), org.hamcrest.Matchers.hasItems(again.toArray(new String[0])));
      assertThat("the second run resumed, it did not start over", again.size(), org.hamcrest.Matchers.lessThan(model(first).size() / 2));
      System.out.println("direct: re-read " + again.size() + " of " + model(first).size() + " results of the first run");
      return;
    }
    assertEquals(model(second), resumed, "second run: only the " + second.size() + " new events");
    if (!run2.contains("no counts")) {
      assertThat(run1, containsString(" " + first.size() + " events in"));
      assertThat(run2, containsString(" " + second.size() + " events in"));
    }

    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    run(runner, topic, "resume-3-" + runner, "earliest");
    assertEquals(model(all), results("resume-3-" + runner), "--startFrom=earliest: every event again");
  }
}
