package streams.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import streams.harness.Trees;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.SerializableFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;
import streams.io.OutputDirs;
import streams.io.ParquetRows;

/**
 * {@code scripts/query DIR [--where field=value]... [--limit N] [--runner=direct|flink|spark]}: the batch
 * query on the data lake. A Beam pipeline reads every Parquet file under DIR (any depth, e.g. the {@code
 * window_start=...} folders of {@code --sink=parquet} or the type folders of {@code --archive}) with
 * ParquetIO, keeps the rows that satisfy every {@code --where} ({@code =}, {@code !=}, {@code >}, {@code
 * >=}, {@code <}, {@code <=}, compared by column type: numbers and decimals numerically, timestamps as
 * instants), and prints them as JSON lines, sorted, on stdout; a summary goes to stderr.
 *
 * <p>Example: {@code scripts/query output/revenue --where user_id=u-42 --where 'total_amount>100'}
 */
@Command(
    name = "scripts/query",
    mixinStandardHelpOptions = true,
    description = "Prints the rows of the Parquet files under DIR (a batch Beam pipeline), optionally filtered.")
public final class QueryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "Folder of Parquet files (searched recursively).")
  String dir;

  @Option(
      names = "--where",
      paramLabel = "COND",
      description = "field=value, field!=value, field>value, field>=value, field<value, field<=value (repeatable, all must hold).")
  List<String> where = new ArrayList<>();

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows (default: all).", defaultValue = "-1")
  long limit;

  @Option(names = "--runner", description = "direct (default), flink or spark.", defaultValue = "direct")
  String runner;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  private PrintStream console = System.out;

  /** Standalone entry point (the same as {@code scripts/query ...}). */
  public static void main(String[] args) {
    int code = run(java.util.Arrays.asList(args), System.out);
    System.out.flush();
    // Engines leave non-daemon threads behind after the job ends: exit explicitly.
    System.exit(code);
  }

  public static int run(List<String> args, PrintStream out) {
    QueryCommand command = new QueryCommand();
    command.console = out;
    return new CommandLine(command).execute(args.toArray(new String[0]));
  }

  @Override
  public Integer call() throws IOException {
    List<ParquetRows.Condition> conditions;
    Engines engine;
    PipelineOptions options;
    try {
      conditions = ParquetRows.parseAll(where);
      engine = Engines.parse(runner);
      List<String> args = new ArrayList<>(beamArgs);
      args.add("--runner=" + runner);
      options =
          PipelineOptionsFactory.fromArgs(Engines.normalise(args, engine).toArray(new String[0]))
              .withValidation()
              .create();
    } catch (IllegalArgumentException | UsageException e) {
      System.err.println("error: " + Cli.describeOptionError(e.getMessage()));
      return 2;
    }
    FileSystems.setDefaultPipelineOptions(options);
    String pattern = (dir.endsWith("/") ? dir : dir + "/") + "**.parquet";
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      System.err.println("error: " + dir + " holds no .parquet file");
      return 2;
    }
    // Dead letters ({"raw","error"}) live beside the results in DIR/dead-letter: not rows of DIR, unless
    // DIR is that folder.
    List<String> dataFiles = new ArrayList<>();
    String root = FileSystems.matchNewResource(dir, true).toString();
    for (MatchResult.Metadata m : match.metadata()) {
      String path = m.resourceId().toString();
      String relative = path.startsWith(root) ? path.substring(root.length()) : path;
      if (!relative.contains(OutputDirs.DEAD_LETTER_DIR + "/")) {
        dataFiles.add(path);
      }
    }
    if (dataFiles.isEmpty()) {
      System.err.println("error: " + dir + " holds dead letters only; query " + dir + "/" + OutputDirs.DEAD_LETTER_DIR + " for them");
      return 2;
    }
    int files = dataFiles.size();

    Path tmp = Files.createTempDirectory("streams-query");
    try {
      Pipeline pipeline = Pipeline.create(options);
      pipeline
          .apply("ParquetFiles", Create.of(dataFiles))
          .apply("Match", FileIO.matchAll())
          .apply("Open", FileIO.readMatches())
          .apply("ReadParquet", ParquetIO.parseFilesGenericRecords(new MatchingRowFn(conditions)))
          .setCoder(StringUtf8Coder.of())
          .apply("KeepMatches", Filter.by((String row) -> !row.isEmpty()))
          .apply("WriteRows", TextIO.write().to(tmp.resolve("rows").toString()).withSuffix(".jsonl"));
      long start = System.nanoTime();
      PipelineResult.State state;
      try {
        state = pipeline.run().waitUntilFinish();
      } catch (RuntimeException e) {
        String cause = Cli.rootCause(e);
        boolean usage = cause.startsWith("IllegalArgumentException: --where");
        System.err.println("error: " + (usage ? cause.substring("IllegalArgumentException: ".length()) : cause));
        return usage ? 2 : 1;
      }
      List<String> rows = readRows(tmp);
      Collections.sort(rows);
      long shown = limit < 0 ? rows.size() : Math.min(limit, rows.size());
      for (int i = 0; i < shown; i++) {
        console.println(rows.get(i));
      }
      console.flush();
      System.err.printf(
          Locale.ROOT,
          "%d rows%s from %d Parquet files under %s (%s, %s, %.1f s)%n",
          rows.size(),
          shown < rows.size() ? " (" + shown + " shown)" : "",
          files,
          dir,
          engine,
          state,
          (System.nanoTime() - start) / 1e9);
      return state == PipelineResult.State.DONE ? 0 : 1;
    } finally {
      Trees.delete(tmp);
    }
  }

  /** A row as JSON when it satisfies every condition, else the empty string. */
  static final class MatchingRowFn implements SerializableFunction<GenericRecord, String> {
    private final List<ParquetRows.Condition> conditions;

    MatchingRowFn(List<ParquetRows.Condition> conditions) {
      this.conditions = new ArrayList<>(conditions);
    }

    @Override
    public String apply(GenericRecord record) {
      for (ParquetRows.Condition c : conditions) {
        if (!c.test(record)) {
          return "";
        }
      }
      return ParquetRows.toJson(record);
    }
  }

  private static List<String> readRows(Path dir) throws IOException {
    List<String> rows = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "rows*.jsonl")) {
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isEmpty()) {
            rows.add(line);
          }
        }
      }
    }
    return rows;
  }
}
