package streams.runners;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import streams.pipelines.RevenuePipeline;
import streams.pipelines.StreamsOptions;

/** The pipelines the command line can run, by name. */
final class PipelineCatalog {
  /** A runnable pipeline: its options interface and the builder that reads, computes and writes. */
  static final class Entry<O extends StreamsOptions> {
    final String name;
    final String summary;
    final Class<O> optionsClass;
    final BiConsumer<Pipeline, O> builder;

    Entry(String name, String summary, Class<O> optionsClass, BiConsumer<Pipeline, O> builder) {
      this.name = name;
      this.summary = summary;
      this.optionsClass = optionsClass;
      this.builder = builder;
    }

    @SuppressWarnings("unchecked")
    void build(Pipeline pipeline, StreamsOptions options) {
      builder.accept(pipeline, (O) options);
    }
  }

  static final Map<String, Entry<?>> PIPELINES = new LinkedHashMap<>();

  static {
    add(
        new Entry<>(
            "revenue",
            "per user and event-time window: order count and exact total",
            RevenuePipeline.Options.class,
            RevenuePipeline::build));
  }

  private PipelineCatalog() {}

  private static void add(Entry<?> entry) {
    PIPELINES.put(entry.name, entry);
  }
}
