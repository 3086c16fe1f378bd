package streams.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import streams.harness.Stat;

/**
 * {@code --baseline=OLD_REPORT_DIR}: the ratio new / old of each median, per configuration present in both
 * reports (read from the old {@code results.json}). A throughput ratio above 1 is better; a time or memory
 * ratio below 1 is better.
 */
final class Baseline {
  /** The figures compared: JSON name in results.json, label, and how to read it from a summary. */
  static final Map<String, Function<Summary, Stat>> FIGURES = new LinkedHashMap<>();
  static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    figure("throughput_events_per_second", "throughput", s -> s.throughputEventsPerSecond);
    figure("processing_seconds", "processing", s -> s.processingSeconds);
    figure("wall_seconds", "wall", s -> s.wallSeconds);
    figure("first_result_seconds", "first result", s -> s.firstResultSeconds);
    figure("cpu_seconds", "CPU", s -> s.cpuSeconds);
    figure("peak_rss_megabytes", "peak RSS", s -> s.peakRssMegabytes);
  }

  private static void figure(String json, String label, Function<Summary, Stat> f) {
    FIGURES.put(json, f);
    LABELS.put(json, label);
  }

  /** The ratios of one configuration: figure → new / old (null when either lacks the figure). */
  static final class Row {
    public final String pipeline;
    public final String runner;
    public final String mode;
    public final Map<String, Double> ratios = new LinkedHashMap<>();

    Row(String pipeline, String runner, String mode) {
      this.pipeline = pipeline;
      this.runner = runner;
      this.mode = mode;
    }
  }

  private Baseline() {}

  static Path resultsFile(Path dir) {
    return Files.isDirectory(dir) ? dir.resolve("results.json") : dir;
  }

  static JsonNode read(Path oldReport) throws IOException {
    return new ObjectMapper().readTree(resultsFile(oldReport).toFile());
  }

  static List<Row> compare(Path oldReport, List<Summary> now) throws IOException {
    return compare(read(oldReport), now);
  }

  static List<Row> compare(JsonNode old, List<Summary> now) {
    Map<String, JsonNode> oldByKey = new LinkedHashMap<>();
    for (JsonNode s : old.path("summary")) {
      oldByKey.put(Summary.key(s.path("pipeline").asText(), s.path("runner").asText(), s.path("mode").asText()), s);
    }
    List<Row> rows = new ArrayList<>();
    for (Summary s : now) {
      JsonNode o = oldByKey.get(s.key());
      if (o == null) {
        continue;
      }
      Row row = new Row(s.pipeline, s.runner, s.mode);
      FIGURES.forEach(
          (name, f) -> {
            Stat n = f.apply(s);
            JsonNode om = o.path(name).path("median");
            row.ratios.put(
                name, n == null || !om.isNumber() || om.asDouble() == 0 ? null : n.median / om.asDouble());
          });
      rows.add(row);
    }
    return rows;
  }
}
