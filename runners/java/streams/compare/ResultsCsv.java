package streams.compare;

import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import streams.harness.Correctness;

/** {@code results.csv}: one row per run, every raw figure; each column declared once, name with value. */
final class ResultsCsv {
  private record Column(String name, Function<Row, Object> value) {}

  /** A run and the comparison's input size, what a row is made of. */
  private record Row(RunResult r, long eventsGenerated) {
    Correctness.Verdict v() {
      return r.correctness;
    }
  }

  private static final List<Column> COLUMNS =
      List.of(
          new Column("sequence", x -> x.r.sequence),
          new Column("pipeline", x -> x.r.pipeline),
          new Column("runner", x -> x.r.runner),
          new Column("mode", x -> x.r.mode),
          new Column("repeat", x -> x.r.repeat),
          new Column("exit_code", x -> x.r.exitCode),
          new Column("state", x -> x.r.state),
          new Column("wall_seconds", x -> x.r.wallSeconds),
          new Column("startup_seconds", x -> x.r.startupSeconds),
          new Column("processing_seconds", x -> x.r.processingSeconds),
          new Column("first_result_seconds", x -> x.r.firstResultSeconds),
          new Column("cpu_user_seconds", x -> x.r.cpuUserSeconds),
          new Column("cpu_system_seconds", x -> x.r.cpuSystemSeconds),
          new Column("cpu_seconds", x -> x.r.cpuSeconds),
          new Column("peak_rss_bytes", x -> x.r.peakRssBytes),
          new Column("events_generated", x -> x.eventsGenerated),
          new Column("events_in", x -> x.r.eventsIn),
          new Column("results_out", x -> x.r.resultsOut),
          new Column("dead_letters", x -> x.r.deadLetters),
          new Column("throughput_events_per_second", x -> x.r.throughputEventsPerSecond),
          new Column("output_equals_model", x -> x.v() == null ? null : x.v().equal),
          new Column("expected_results", x -> x.v() == null ? null : x.v().expectedResults),
          new Column("missing", x -> x.v() == null ? null : x.v().missing),
          new Column("unexpected", x -> x.v() == null ? null : x.v().unexpected),
          new Column("different", x -> x.v() == null ? null : x.v().different),
          new Column("expected_dead_letters", x -> x.v() == null ? null : x.v().expectedDeadLetters),
          new Column("written_dead_letters", x -> x.v() == null ? null : x.v().actualDeadLetters),
          new Column("resource_measure", x -> x.r.resourceMeasure),
          new Column("error", x -> x.r.error),
          new Column("late_dropped", x -> x.r.lateDropped),
          new Column("late_dropped_derived", x -> x.r.lateDroppedDerived),
          new Column("input_rate_events_per_second", x -> x.r.inputRateEventsPerSecond),
          new Column("latency_samples", x -> x.r.latencySamples),
          new Column("latency_p50_ms", x -> x.r.latencyP50Millis),
          new Column("latency_p95_ms", x -> x.r.latencyP95Millis),
          new Column("latency_p99_ms", x -> x.r.latencyP99Millis),
          new Column("latency_max_ms", x -> x.r.latencyMaxMillis),
          new Column("command", x -> x.r.command == null ? null : String.join(" ", x.r.command)));

  private ResultsCsv() {}

  static void write(Path file, List<RunResult> runs, long eventsGenerated) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    COLUMNS.forEach(c -> schema.addColumn(c.name));
    CsvMapper mapper = new CsvMapper();
    // Quotes only where CSV needs them (a comma, a quote, a line break), as a reader expects.
    mapper.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      var out = mapper.writerFor(Map.class).with(schema.build()).writeValues(w);
      for (RunResult r : runs) {
        Row row = new Row(r, eventsGenerated);
        Map<String, Object> cells = new LinkedHashMap<>();
        COLUMNS.forEach(c -> cells.put(c.name, c.value.apply(row)));
        out.write(cells);
      }
      out.close();
    }
  }
}
