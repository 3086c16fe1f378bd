package streams.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.generate.EventGenerator;
import streams.io.OutputDirs;
import streams.io.ReadEventLines;
import streams.io.Results;
import streams.io.SinkConfig;
import streams.io.WriteResults;
import streams.model.DeadLetter;
import streams.model.Json;
import streams.reference.CompletedModel;
import streams.reference.RevenueModel;
import streams.testing.Counters;
import streams.testing.HostileCorpus;
import streams.testing.OutputFiles;
import streams.testing.TestRunner;
import streams.transforms.SumRevenuePerUser;

/**
 * The hostile corpus in batch on each runner: 10 000 hostile lines (and 3 lines over 1 MiB) mixed into
 * 1 500 generated events and the valid edge cases of {@link HostileCorpus}. One job per runner reads the
 * file once and runs {@code revenue} and {@code completed} on it: the job ends by itself, every hostile line
 * is a dead letter of each pipeline (no more, no fewer), no dead letter keeps more than 64 Ki characters of
 * its line, and both outputs equal their reference models over the valid lines, saturated revenue totals
 * included.
 *
 * <p>Flink and Spark in the default suite; Direct with {@code -Dtest.all=true} or {@code
 * -Dtest.runners=direct}. The Direct runner is slow on windows and timers in batch (a 1 000-event {@code
 * revenue} from the command line: 24-36 s, against 7 s for {@code completed}, under load):
 * this class took it 117 s in the suite (about 10 s on Flink or Spark).
 * Direct keeps its place in the TestStream scenarios and {@code GoldenFilesTest}, where its checks of
 * immutability and encodability matter.
 */
class HostileCorpusTest {
  @TempDir static Path tmp;
  private static Path input;
  private static List<String> lines;
  private static HostileCorpus corpus;

  static List<TestRunner> runners() {
    return TestRunner.chosenForLongTests(TestRunner.FLINK, TestRunner.SPARK);
  }

  @BeforeAll
  static void generate() throws Exception {
    List<String> valid = new java.util.ArrayList<>();
    EventGenerator.builder().events(1_500).seed(5).badFraction(0).lateFraction(0.02).build().forEach(valid::add);
    corpus = HostileCorpus.mix(valid, 10_000, 3, 2026);
    input = tmp.resolve("hostile.jsonl");
    corpus.writeTo(input);
    lines = HostileCorpus.decodedLines(input);
    // The parser alone: exactly the hostile lines are rejected, every valid one is an event.
    assertEquals(corpus.lines(), lines.size());
    assertEquals(corpus.hostileLines(), RevenueModel.deadLetters(lines));
    System.out.println(
        "hostile corpus: " + lines.size() + " lines, " + corpus.validLines() + " valid, "
            + corpus.hostileLines() + " hostile " + corpus.hostileByKind());
  }

  /** A pipeline's graph and its writer under one name, so that two pipelines share one job. */
  private static <T extends Record> PTransform<PCollection<String>, PDone> computeAndWrite(
      String name, PTransform<PCollection<String>, Results<T>> graph, SinkConfig sink) {
    return new PTransform<PCollection<String>, PDone>(name) {
      @Override
      public PDone expand(PCollection<String> in) {
        WriteResults.to(in.apply(graph.getName(), graph), sink);
        return PDone.in(in.getPipeline());
      }
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void everyHostileLineIsADeadLetterAndTheResultsEqualTheModels(TestRunner runner) throws Exception {
    Path revenueOut = tmp.resolve("revenue-" + runner);
    Path completedOut = tmp.resolve("completed-" + runner);
    RevenuePipeline.Options options = runner.batchOptions().as(RevenuePipeline.Options.class);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<String> read = pipeline.apply("ReadEventLines", ReadEventLines.from(input.toString()));
    read.apply(computeAndWrite("Revenue", RevenuePipeline.revenue(options), SinkConfig.from(options, revenueOut.toString())));
    read.apply(
        computeAndWrite(
            "Completed",
            CompletedPipeline.completed(options.as(CompletedPipeline.Options.class)),
            SinkConfig.from(options, completedOut.toString())));
    long t0 = System.nanoTime();
    PipelineResult result = pipeline.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish(), "the job ends by itself on " + runner);
    long millis = (System.nanoTime() - t0) / 1_000_000;

    List<String> revenue = RevenueModel.expected(lines, 3_600_000L);
    revenue.sort(null);
    List<String> completed = CompletedModel.expected(lines);
    completed.sort(null);
    assertEquals(revenue, OutputFiles.jsonLines(revenueOut));
    assertEquals(completed, OutputFiles.jsonLines(completedOut));
    // The model's own view of the sums: saturated for u-whale and u-sink, exact for u-even.
    assertThat(revenue, hasItem(containing("\"user_id\":\"u-whale\"", "\"order_count\":12", "\"total_amount\":9999999999999999.99")));
    assertThat(revenue, hasItem(containing("\"user_id\":\"u-sink\"", "\"total_amount\":-9999999999999999.99")));
    assertThat(revenue, hasItem(containing("\"user_id\":\"u-even\"", "\"order_count\":13", "\"total_amount\":1.00")));
    assertEquals(2, Counters.of(result, SumRevenuePerUser.TOTALS_SATURATED));

    Map<String, Integer> reasons = new TreeMap<>();
    for (Path out : List.of(revenueOut, completedOut)) {
      List<String> dead = OutputFiles.jsonLines(out.resolve(OutputDirs.DEAD_LETTER_DIR));
      assertEquals(corpus.hostileLines(), dead.size(), "dead letters of " + out.getFileName());
      for (String d : dead) {
        JsonNode node = Json.MAPPER.readTree(d);
        assertThat(node.get("raw").textValue().length(), lessThanOrEqualTo(DeadLetter.MAX_RAW_CHARS));
        if (out == revenueOut) {
          for (String kind : reasonKinds(node.get("error").textValue())) {
            reasons.merge(kind, 1, Integer::sum);
          }
        }
      }
    }
    for (String kind : List.of("outside the supported range", "is out of range", "more than 2 decimals",
        "invalid UTF-8", "over the limit of 1048576 bytes", "nesting depth", "unpaired surrogate",
        "characters long", "raw holds the first", "invalid JSON", "missing field", "must be a string")) {
      assertTrue(reasons.getOrDefault(kind, 0) > 0, "some dead letter says '" + kind + "': " + reasons);
    }
    assertEquals(2L * corpus.hostileLines(), Counters.of(result, "dead_letters"));
    assertEquals(2L * lines.size(), Counters.of(result, "events_in"));
    System.out.println(
        "hostile corpus on " + runner + ": " + lines.size() + " lines, " + corpus.hostileLines()
            + " dead letters per pipeline, revenue " + revenue.size() + " results = model, completed "
            + completed.size() + " results = model, " + millis + " ms; reasons " + reasons);
  }

  private static org.hamcrest.Matcher<String> containing(String... parts) {
    return new org.hamcrest.TypeSafeMatcher<String>() {
      @Override
      protected boolean matchesSafely(String s) {
        for (String p : parts) {
          if (!s.contains(p)) {
            return false;
          }
        }
        return true;
      }

      @Override
      public void describeTo(org.hamcrest.Description d) {
        d.appendText("a line containing ").appendValueList("", ", ", "", parts);
      }
    };
  }

  /** The coarse classes of a reason, for the figures (a truncated line has two). */
  private static List<String> reasonKinds(String error) {
    List<String> found = new java.util.ArrayList<>();
    for (String kind : List.of("raw holds the first", "over the limit of 1048576 bytes", "outside the supported range",
        "is out of range", "more than 2 decimals", "invalid UTF-8", "nesting depth", "unpaired surrogate",
        "characters long", "invalid JSON", "missing field", "must be a string", "must be a number",
        "must be an ISO-8601", "not an ISO-8601", "not a decimal", "unknown type", "field 'status'", "is empty",
        "empty line", "not a JSON object")) {
      if (error.contains(kind)) {
        found.add(kind);
      }
    }
    if (found.isEmpty()) {
      found.add("other: " + error);
    }
    return found;
  }
}
