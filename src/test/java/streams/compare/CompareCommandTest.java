package streams.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import streams.cli.CompareCommand;
import streams.harness.Correctness;

/**
 * The comparison report on a tiny run: {@code revenue} on Flink and Spark, 300 events, one repeat, each
 * run in its own JVM (started from this JVM's class path, as the jar is not packaged yet during tests).
 * Checks that the files exist and that the figures are consistent with each other and with the input.
 */
class CompareCommandTest {
  @TempDir static Path TMP;
  private static final int EVENTS = 300;
  private static final List<String> RUNNERS = List.of("flink", "spark");

  private static Path report;
  private static int exitCode;
  private static String console;
  private static JsonNode results;

  @BeforeAll
  static void compare() throws Exception {
    report = TMP.resolve("report");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exitCode =
        CompareCommand.run(
            List.of(
                "--pipelines=revenue",
                "--runners=" + String.join(",", RUNNERS),
                "--events=" + EVENTS,
                "--repeat=1",
                "--mode=batch",
                "--conformance=skip",
                "--launcher=classpath",
                "--out=" + report),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    console = out.toString(StandardCharsets.UTF_8);
    results = new ObjectMapper().readTree(report.resolve("results.json").toFile());
  }

  @Test
  void writesEveryFile() throws Exception {
    assertEquals(0, exitCode, console);
    for (String f :
        List.of("report.md", "report.html", "results.json", "results.csv", "throughput.png", "peak-memory.png",
            "wall-time.png", "cpu-time.png")) {
      assertTrue(Files.size(report.resolve(f)) > 0, f + " exists");
    }
    byte[] png = Arrays.copyOf(Files.readAllBytes(report.resolve("throughput.png")), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, png);
    assertTrue(Files.notExists(report.resolve("runs")), "no run was kept: all passed");
  }

  @Test
  void printsOneProgressLinePerRun() {
    assertThat(console, containsString("[1/2] revenue on flink (batch, repeat 1/1) ... "));
    assertThat(console, containsString("[2/2] revenue on spark (batch, repeat 1/1) ... "));
    assertThat(console, containsString("output = model"));
  }

  @Test
  void figuresAreConsistent() {
    JsonNode runs = results.path("runs");
    assertEquals(RUNNERS.size(), runs.size());
    for (JsonNode r : runs) {
      String what = r.path("runner").asText();
      assertEquals(0, r.path("exit_code").asInt(), what);
      assertEquals("DONE", r.path("state").asText(), what);
      assertEquals(EVENTS, r.path("events_in").asLong(), what + ": events counted = events generated");
      assertTrue(r.path("correctness").path("equal").asBoolean(), what + ": output equals the model");
      assertEquals(0, r.path("correctness").path("missing").asLong());
      assertEquals(
          r.path("correctness").path("expected_results").asLong(), r.path("results_out").asLong());
      assertEquals(
          r.path("correctness").path("expected_dead_letters").asLong(), r.path("dead_letters").asLong());
      double processing = r.path("processing_seconds").asDouble();
      assertThat(r.path("throughput_events_per_second").asDouble(), closeTo(EVENTS / processing, 1e-6));
      assertThat(r.path("wall_seconds").asDouble(), greaterThan(processing));
      assertThat(r.path("startup_seconds").asDouble(), greaterThan(0.0));
      assertThat(r.path("first_result_seconds").asDouble(), greaterThanOrEqualTo(0.0));
      assertThat(r.path("cpu_seconds").asDouble(), greaterThan(0.0));
      assertThat(r.path("peak_rss_bytes").asLong(), greaterThan(50L * 1024 * 1024));
    }
    assertEquals(EVENTS, results.path("input").path("events").asLong());
    assertEquals(64, results.path("input").path("sha256").asText().length());
    assertEquals(RUNNERS.size(), results.path("summary").size());
    assertThat(results.path("command").asText(), containsString("scripts/compare --pipelines=revenue"));
    assertThat(results.path("machine").path("cores").asInt(), greaterThan(0));
    assertEquals("2.62.0", results.path("versions").path("beam").asText());
    assertTrue(results.path("versions").path("flink").asText().startsWith("1."));
    assertTrue(results.path("versions").path("spark").asText().startsWith("3."));
  }

  @Test
  void csvHasOneRowPerRun() throws Exception {
    List<String> lines = Files.readAllLines(report.resolve("results.csv"), StandardCharsets.UTF_8);
    assertEquals(1 + RUNNERS.size(), lines.size());
    assertThat(lines.get(0), containsString("events_in"));
    assertThat(lines.get(1), containsString(",revenue,flink,batch,1,0,DONE,"));
  }

  @Test
  void reportsAreSelfContained() throws Exception {
    String md = Files.readString(report.resolve("report.md"));
    assertThat(md, containsString("| revenue | batch | flink | yes | 300 |"));
    assertThat(md, containsString("| revenue | batch | spark | yes | 300 |"));
    assertThat(md, containsString("![Throughput"));
    assertThat(md, containsString("## Fairness and settings"));
    String html = Files.readString(report.resolve("report.html"));
    assertThat(html, containsString("src=\"data:image/png;base64,"));
    assertThat(html, not(containsString("src=\"throughput.png\"")));
  }

  /** A report compared with itself: every ratio is 1. */
  @Test
  void baselineRatiosOfAReportWithItselfAreOne() throws Exception {
    ObjectMapper m =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    List<RunResult> runs = new ArrayList<>();
    for (JsonNode r : results.path("runs")) {
      runs.add(m.treeToValue(r, RunResult.class));
    }
    List<Baseline.Row> rows = Baseline.compare(report, Summary.of(runs));
    assertEquals(RUNNERS.size(), rows.size());
    for (Baseline.Row row : rows) {
      assertThat(row.ratios.get("throughput_events_per_second"), closeTo(1.0, 1e-9));
      assertThat(row.ratios.get("peak_rss_megabytes"), closeTo(1.0, 1e-9));
    }
  }

  @Test
  void unknownPipelineNamesTheAvailableOnes() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        CompareCommand.run(
            List.of("--pipelines=revenue,nosuch", "--conformance=skip"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("error: unknown pipeline 'nosuch'; available: revenue"));
  }

  @Test
  void runnerArgMustBeAnEngineOptionTheComparisonDoesNotSetItself() {
    for (String[] bad :
        new String[][] {
          {"--runnerArg=maxBundleTimeMills", "is not an engine option; expected --flag=value"},
          {"--runnerArg=--output=/tmp/x", "--output=... is set by the comparison itself"}
        }) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          CompareCommand.run(
              List.of(bad[0], "--conformance=skip"),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(2, code, bad[0]);
      assertThat(err.toString(StandardCharsets.UTF_8), containsString(bad[1]));
    }
  }

  /** Missing, unexpected and different results are told apart by the result's key. */
  @Test
  void correctnessTellsMissingUnexpectedAndDifferentApart() throws Exception {
    Path out = Files.createDirectory(TMP.resolve("diff"));
    Files.write(
        out.resolve("part-0.jsonl"),
        List.of(
            "{\"user_id\":\"u-1\",\"window_start\":\"a\",\"total\":1}",
            "{\"user_id\":\"u-2\",\"window_start\":\"a\",\"total\":9}",
            "{\"user_id\":\"u-4\",\"window_start\":\"a\",\"total\":4}"));
    List<String> expected =
        new ArrayList<>(
            List.of(
                "{\"user_id\":\"u-1\",\"window_start\":\"a\",\"total\":1}",
                "{\"user_id\":\"u-2\",\"window_start\":\"a\",\"total\":2}",
                "{\"user_id\":\"u-3\",\"window_start\":\"a\",\"total\":3}"));
    expected.sort(null);
    Correctness.Verdict v = Correctness.check("test", expected, List.of("user_id", "window_start"), 0, out);
    assertEquals(false, v.equal);
    assertEquals(1, v.missing);
    assertEquals(1, v.unexpected);
    assertEquals(1, v.different);
    assertThat(v.examples.toString(), containsString("different: expected {\"user_id\":\"u-2\""));
  }
}
