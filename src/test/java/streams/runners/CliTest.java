package streams.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import streams.generate.EventGenerator;
import streams.models.RevenueModel;
import streams.testing.OutputFiles;

/** The runner-switch command line as a user meets it: real processes, exit codes and messages. */
public class CliTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** Runs the command line in its own JVM, as scripts/run does; returns exit code, stdout, stderr. */
  private static String[] cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Cli.class.getName());
    command.addAll(Arrays.asList(args));
    Path out = TMP.newFile().toPath();
    Path err = TMP.newFile().toPath();
    Process p =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    int code = p.waitFor();
    return new String[] {
      Integer.toString(code), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)
    };
  }

  private static void assertUsageError(String expectedMessage, String... args) throws Exception {
    String[] r = cli(args);
    assertEquals("exit code of " + Arrays.toString(args), "2", r[0]);
    assertThat(r[2], containsString("error: " + expectedMessage));
    assertThat("no stack trace", r[2], not(containsString("\tat ")));
  }

  @Test
  public void unknownPipeline() throws Exception {
    assertUsageError("unknown pipeline 'revnue'; allowed: revenue", "revnue");
  }

  @Test
  public void unknownRunner() throws Exception {
    assertUsageError("--runner=storm is not a runner; allowed: direct, flink, spark", "revenue", "--runner=storm");
  }

  @Test
  public void unknownOption() throws Exception {
    assertUsageError("unknown option --windw", "revenue", "--runner=direct", "--windw=PT1H");
  }

  @Test
  public void badDuration() throws Exception {
    assertUsageError(
        "--window=1h is not an ISO-8601 duration", "revenue", "--runner=direct", "--window=1h", "--input=/dev/null");
  }

  @Test
  public void badTriggerMode() throws Exception {
    assertUsageError(
        "--trigger=append is not a trigger mode; allowed: final, update, complete",
        "revenue",
        "--trigger=append",
        "--input=/dev/null");
  }

  @Test
  public void missingInputFile() throws Exception {
    assertUsageError("--input=/no/such/file.jsonl matches no file", "revenue", "--input=/no/such/file.jsonl");
  }

  @Test
  public void badGeneratorFlag() throws Exception {
    String[] r = cli("generate", "--events=ten", "--out=/tmp/x");
    assertEquals("2", r[0]);
    assertThat(r[2], containsString("--events"));
  }

  @Test
  public void helpListsPipelinesAndOptions() throws Exception {
    String[] r = cli("--help");
    assertEquals("0", r[0]);
    assertThat(r[1], containsString("revenue"));
    assertThat(r[1], containsString("--runner=NAME"));
    String[] p = cli("revenue", "--help");
    assertEquals("0", p[0]);
    assertThat(p[1], containsString("--allowedLateness"));
  }

  /** A second run into the same folder replaces the first run's results; it never mixes them. */
  @Test
  public void rerunIntoSameOutputReplacesResults() throws Exception {
    Path out = TMP.newFolder("out").toPath();
    Path big = TMP.getRoot().toPath().resolve("big.jsonl");
    Path small = TMP.getRoot().toPath().resolve("small.jsonl");
    EventGenerator.builder().events(600).seed(1).build().writeTo(big);
    EventGenerator.builder().events(200).seed(2).build().writeTo(small);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8);
    for (Path input : new Path[] {big, small}) {
      assertEquals(
          0,
          Cli.run(
              List.of("revenue", "--runner=direct", "--input=" + input, "--output=" + out, "--window=PT5M"),
              ps));
    }
    List<String> expected = RevenueModel.expected(Files.readAllLines(small), 5 * 60_000L);
    expected.sort(null);
    assertEquals(expected, OutputFiles.jsonLines(out));
    assertThat(console.toString(StandardCharsets.UTF_8), containsString("revenue on direct: DONE, 200 events in"));
  }

  @Test
  public void kafkaSourceTakesNoInputFile() throws Exception {
    assertUsageError(
        "--input is for --source=file; --source=kafka reads --topic",
        "revenue", "--runner=direct", "--source=kafka", "--topic=t", "--bootstrapServers=127.0.0.1:1", "--input=/dev/null");
  }

  @Test
  public void stopOptionsNeedAStreamingRun() throws Exception {
    assertUsageError("--stopAfter and --stopWhenIdle end streaming jobs", "revenue", "--runner=direct", "--input=/dev/null", "--stopAfter=PT1M");
  }

  @Test
  public void kafkaSinkNeedsATopic() throws Exception {
    assertUsageError("--sink=kafka needs --outputTopic=T", "revenue", "--runner=direct", "--input=/dev/null", "--sink=kafka");
  }

  @Test
  public void exactlyOnceIsRefusedOnSpark() throws Exception {
    assertUsageError(
        "--exactlyOnce is not supported on spark",
        "completed", "--runner=spark", "--input=/dev/null", "--sink=kafka", "--outputTopic=o",
        "--bootstrapServers=127.0.0.1:1", "--exactlyOnce");
  }

  /** --sink=parquet writes Parquet files that scripts/query reads back: the model's rows, filterable. */
  @Test
  public void parquetSinkThenQuery() throws Exception {
    Path input = TMP.getRoot().toPath().resolve("query-input.jsonl");
    EventGenerator.builder().events(400).seed(3).build().writeTo(input);
    Path out = TMP.newFolder("parquet-out").toPath();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(
        0,
        Cli.run(List.of("completed", "--runner=direct", "--input=" + input, "--sink=parquet", "--output=" + out), quiet));
    List<String> expected = streams.models.CompletedModel.expected(Files.readAllLines(input));
    expected.sort(null);

    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    assertEquals(0, Cli.run(List.of("query", out.toString()), new PrintStream(rows, true, StandardCharsets.UTF_8)));
    assertEquals(expected, lines(rows));

    String user = streams.model.Json.MAPPER.readTree(expected.get(0)).get("user_id").asText();
    List<String> ofUser = new ArrayList<>();
    for (String e : expected) {
      if (e.contains("\"user_id\":\"" + user + "\"")) {
        ofUser.add(e);
      }
    }
    ByteArrayOutputStream filtered = new ByteArrayOutputStream();
    assertEquals(
        0,
        Cli.run(List.of("query", out.toString(), "--where", "user_id=" + user), new PrintStream(filtered, true, StandardCharsets.UTF_8)));
    assertEquals(ofUser, lines(filtered));
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    List<String> l = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        l.add(line);
      }
    }
    return l;
  }
}
