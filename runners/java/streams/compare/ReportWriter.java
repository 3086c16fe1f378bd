package streams.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import streams.pipelines.Pipelines;
import streams.pipelines.StreamingProbe;

/**
 * Writes a comparison to its folder: {@code report.md} and {@code report.html} (self-contained) from
 * {@link ReportText}, the charts as PNG ({@link ReportCharts}), and {@code results.json} / {@code
 * results.csv} with every raw figure ({@link ResultsJson}, {@link ResultsCsv}).
 */
final class ReportWriter {
  static final List<String> FILES = files();

  private static List<String> files() {
    List<String> files =
        new ArrayList<>(
            List.of(
                "report.md",
                "report.html",
                "results.json",
                "results.csv",
                "throughput.png",
                "peak-memory.png",
                "wall-time.png",
                "cpu-time.png"));
    latencyPipelines().forEach(p -> files.add("latency-" + p + ".png"));
    return List.copyOf(files);
  }

  /** The pipelines whose streaming runs measure latency, each with its latency chart. */
  static List<String> latencyPipelines() {
    return Pipelines.all().stream()
        .filter(p -> p.streaming != StreamingProbe.NOT_MEASURED)
        .map(p -> p.name)
        .collect(Collectors.toList());
  }

  /** The pipeline options of the streaming runs, e.g. "revenue --window=PT1M". */
  static String streamingOptions() {
    return Pipelines.all().stream()
        .filter(p -> !p.streaming.options().isEmpty())
        .map(p -> p.name + " " + String.join(" ", p.streaming.options()))
        .collect(Collectors.joining(", "));
  }

  private final Comparison c;

  ReportWriter(Comparison c) {
    this.c = c;
  }

  void write(Path dir) throws IOException {
    List<String[]> charts = new ReportCharts(c).render(dir);
    ResultsJson.write(c, dir.resolve("results.json"));
    ResultsCsv.write(dir.resolve("results.csv"), c.runs, c.settings.events);
    ReportDoc doc = new ReportText(c).document(charts);
    Files.writeString(dir.resolve("report.md"), doc.toMarkdown(), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("report.html"), HtmlPage.render(doc.title(), doc.toMarkdown(), dir), StandardCharsets.UTF_8);
  }
}
