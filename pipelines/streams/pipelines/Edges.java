package streams.pipelines;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import streams.io.ArchiveEvents;
import streams.io.ReadEvents;
import streams.io.Results;
import streams.io.SinkConfig;
import streams.io.WriteResults;
import streams.transforms.Durations;

/**
 * The edges every pipeline shares, chosen by its options: events from {@code --source} (file or Kafka), a
 * Parquet copy of the valid events when {@code --archive} is given, results and dead letters to {@code
 * --sink} (JSON Lines files, Kafka topics or Parquet). The business graph in between is the pipeline's own.
 */
final class Edges {
  private Edges() {}

  static <T extends Record> void readComputeWrite(
      Pipeline pipeline,
      StreamsOptions options,
      PTransform<PCollection<String>, Results<T>> graph) {
    // Validate every edge option before anything is applied: a bad flag fails fast with its name.
    ReadEvents source = ReadEvents.from(options, options.getInput());
    SinkConfig sink = SinkConfig.from(options, options.getOutput());
    PCollection<String> lines = pipeline.apply("ReadEvents", source);
    if (options.getArchive() != null && !options.getArchive().isBlank()) {
      lines.apply(
          "Archive",
          ArchiveEvents.to(options.getArchive())
              .withFlushInterval(Durations.parsePositive("fileFlushInterval", options.getFileFlushInterval())));
    }
    WriteResults.to(lines.apply(graph.getName(), graph), sink);
  }
}
