package streams.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.cli.QueryCommand;
import streams.generate.EventGenerator;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;
import streams.model.UserRevenue;
import streams.pipelines.RevenuePipeline;
import streams.reference.RevenueModel;
import streams.testing.Conformance;
import streams.testing.TestRunner;

/**
 * {@code --sink=parquet} and {@code --archive}: {@code revenue} in batch on each runner over a generated
 * file writes Parquet, one folder per window; read back by parquet-avro's own {@code AvroParquetReader}
 * and by the query command (a Beam pipeline with ParquetIO), the rows equal the model exactly, money as
 * DECIMAL(18,2). The archive holds every valid event, by type, with exact amounts.
 *
 * <p>Flink and Spark in the default suite; Direct with {@code -Dtest.all=true} or {@code
 * -Dtest.runners=direct}. The Direct runner is slow on windows and timers in batch (a 1 000-event {@code
 * revenue} from the command line: 24-36 s, against 7 s for {@code completed}, under load):
 * this class took it 59 s in the suite (about 10 s on Flink or Spark).
 * Direct keeps its place in the TestStream scenarios and {@code GoldenFilesTest}, where its checks of
 * immutability and encodability matter.
 */
class ParquetSinkTest {
  @TempDir static Path TMP;
  private static final long WINDOW_MILLIS = 5_000;
  private static Path input;
  private static List<String> lines;

  static Collection<Object[]> runners() {
    return Conformance.longRunners(TestRunner.FLINK, TestRunner.SPARK);
  }

  @RegisterExtension final Conformance conformance = new Conformance();

  @BeforeAll
  static void generate() throws Exception {
    input = TMP.resolve("events.jsonl");
    EventGenerator.builder().events(1_000).seed(5).badFraction(0.01).build().writeTo(input);
    lines = Files.readAllLines(input, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void parquetResultsAndArchiveEqualModel(TestRunner runner) throws Exception {
    Path out = TMP.resolve("revenue-" + runner);
    Path archive = TMP.resolve("archive-" + runner);
    RevenuePipeline.Options options = runner.batchOptions().as(RevenuePipeline.Options.class);
    options.setWindow("PT5S");
    Pipeline pipeline = Pipeline.create(options);
    PCollection<String> events = pipeline.apply("ReadEvents", ReadEvents.fromFiles(input.toString()));
    Results<UserRevenue> results = events.apply("Revenue", RevenuePipeline.revenue(options));
    options.setSink("parquet");
    WriteResults.to(results, SinkConfig.from(options, out.toString()));
    events.apply("Archive", ArchiveEvents.to(archive.toString()));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());

    List<String> expected = RevenueModel.expected(lines, WINDOW_MILLIS);
    expected.sort(null);
    assertThat(expected.size(), greaterThan(300));

    // parquet's own reader, file by file: rows equal the model, each in the folder of its window.
    List<String> rows = new ArrayList<>();
    List<Path> files = parquetFiles(out).stream().filter(f -> !f.startsWith(out.resolve("dead-letter"))).collect(Collectors.toList());
    for (Path f : files) {
      String folder = f.getParent().getFileName().toString();
      for (GenericRecord r : read(f)) {
        rows.add(ParquetRows.toJson(r));
        long start = ((java.time.Instant) ParquetRows.value(r, "window_start")).toEpochMilli();
        assertEquals(
            WriteParquet.windowFolder(new IntervalWindow(new Instant(start), new Instant(start + WINDOW_MILLIS))),
            folder);
      }
    }
    rows.sort(null);
    assertEquals(expected, rows);
    assertThat("one folder per window, several windows", folderCount(files), greaterThan(1L));

    // A schema any Parquet reader understands: exact decimals, UTC millisecond timestamps.
    MessageType schema = footer(files.get(0));
    assertThat(schema.toString(), containsString("required binary total_amount (DECIMAL(18,2))"));
    assertThat(schema.toString(), containsString("required int64 window_start (TIMESTAMP(MILLIS,true))"));
    assertThat(schema.toString(), containsString("required binary user_id (STRING)"));

    // Dead letters as Parquet too.
    long deadLetters = 0;
    for (Path f : parquetFiles(out.resolve("dead-letter"))) {
      deadLetters += read(f).size();
    }
    assertEquals(RevenueModel.deadLetters(lines), deadLetters);

    // The query command (a Beam pipeline with ParquetIO) reads the same rows back, filtered.
    String user = Json(expected.get(expected.size() / 2)).get("user_id").asText();
    List<String> byUser = expected.stream().filter(l -> l.contains("\"user_id\":\"" + user + "\"")).collect(Collectors.toList());
    assertEquals(byUser, query(out.toString(), "--where", "user_id=" + user));
    List<String> big =
        expected.stream()
            .filter(l -> Json(l).get("total_amount").decimalValue().compareTo(new BigDecimal("400.00")) > 0)
            .collect(Collectors.toList());
    assertThat(big.size(), greaterThan(0));
    List<String> queried = query(out.toString(), "--where", "total_amount>400.00", "--where", "timing=ON_TIME");
    assertEquals(big, queried);

    // The archive: every valid event once, by type, amounts exact.
    long[] orders = new long[2];
    long[] payments = new long[2];
    long[] transactions = new long[2];
    for (String l : lines) {
      try {
        Object e = EventParser.parse(l);
        long[] acc = e instanceof Order ? orders : e instanceof Payment ? payments : transactions;
        acc[0]++;
        acc[1] +=
            e instanceof Order
                ? ((Order) e).amountCents()
                : e instanceof Payment ? ((Payment) e).amountCents() : ((Transaction) e).amountCents();
      } catch (EventParser.BadEventException ignored) {
        // not archived
      }
    }
    assertArchived(archive.resolve("orders"), orders);
    assertArchived(archive.resolve("payments"), payments);
    assertArchived(archive.resolve("transactions"), transactions);
  }

  private static void assertArchived(Path dir, long[] countAndCents) throws IOException {
    long n = 0;
    BigDecimal sum = BigDecimal.ZERO;
    for (Path f : parquetFiles(dir)) {
      for (GenericRecord r : read(f)) {
        n++;
        sum = sum.add((BigDecimal) ParquetRows.value(r, "amount"));
      }
    }
    assertEquals(countAndCents[0], n, dir.toString());
    assertEquals(BigDecimal.valueOf(countAndCents[1], 2), sum, dir.toString());
  }

  private static com.fasterxml.jackson.databind.JsonNode Json(String line) {
    try {
      return streams.model.Json.MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> query(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(0, QueryCommand.run(Arrays.asList(args), out));
    return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
  }

  static List<Path> parquetFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().collect(Collectors.toList());
    }
  }

  private static long folderCount(List<Path> files) {
    return files.stream().map(Path::getParent).distinct().count();
  }

  static List<GenericRecord> read(Path file) throws IOException {
    List<GenericRecord> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
            .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        out.add(r);
      }
    }
    return out;
  }

  private static MessageType footer(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }
}
