package streams.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.cli.CompareCommand;
import streams.generate.EventGenerator;
import streams.reference.CompletedModel;

/**
 * The streaming half of the comparison on a tiny run: {@code completed} on Flink, 400 events appended to
 * the project's own Kafka broker (started and stopped by the comparison) at 200 events/s, the job ended by
 * itself once quiet. Checks that latency was measured from the broker's append times for every result,
 * that the figures are ordered and plausible, and that the output equals the model.
 */
class CompareStreamingTest {
  @TempDir static Path TMP;
  private static final int EVENTS = 400;
  private static final int RATE = 200;

  private static Path report;
  private static int exitCode;
  private static String console;
  private static JsonNode run;

  @BeforeAll
  static void compare() throws Exception {
    report = TMP.resolve("report");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exitCode =
        CompareCommand.run(
            List.of(
                "--pipelines=completed",
                "--runners=flink",
                "--events=" + EVENTS,
                "--rate=" + RATE,
                "--repeat=1",
                "--mode=streaming",
                "--conformance=skip",
                "--launcher=classpath",
                "--out=" + report),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    console = out.toString(StandardCharsets.UTF_8);
    run = new ObjectMapper().readTree(report.resolve("results.json").toFile()).path("runs").path(0);
  }

  @Test
  void runsAndMatchesTheModel() {
    assertEquals(0, exitCode, console);
    assertEquals("streaming", run.path("mode").asText());
    // Stopped when idle, the job is drained (its sources end, its state is flushed) and ends DONE.
    assertEquals("DONE", run.path("state").asText());
    assertTrue(run.path("correctness").path("equal").asBoolean(), console);
  }

  @Test
  void latencyIsMeasuredForEveryResult() {
    List<String> lines = new ArrayList<>();
    EventGenerator.builder().events(EVENTS).seed(42).build().forEach(lines::add);
    long expected = CompletedModel.expected(lines).size();
    assertEquals(expected, run.path("latency_samples").asLong());
    double p50 = run.path("latency_p50_millis").asDouble();
    double p95 = run.path("latency_p95_millis").asDouble();
    double p99 = run.path("latency_p99_millis").asDouble();
    double max = run.path("latency_max_millis").asDouble();
    assertThat(p50, greaterThanOrEqualTo(0.0));
    assertThat(p50, lessThanOrEqualTo(p95));
    assertThat(p95, lessThanOrEqualTo(p99));
    assertThat(p99, lessThanOrEqualTo(max));
    // A filter-and-map result cannot take longer than the whole run.
    assertThat(max, lessThanOrEqualTo(run.path("wall_seconds").asDouble() * 1000));
    assertEquals(101, run.path("latency_percentiles_millis").size());
  }

  @Test
  void inputRateIsTheStatedRate() {
    double rate = run.path("input_rate_events_per_second").asDouble();
    assertThat(rate, greaterThan(RATE * 0.8));
    assertThat(rate, lessThanOrEqualTo(RATE * 1.25));
  }

  @Test
  void reportHasTheStreamingSectionAndTheCdf() throws Exception {
    String md = Files.readString(report.resolve("report.md"));
    assertThat(md, containsString("## Streaming through Kafka: latency and late data"));
    assertThat(md, containsString("| completed | flink | yes |"));
    assertTrue(Files.size(report.resolve("latency-completed.png")) > 1000);
  }
}
