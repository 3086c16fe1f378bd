package streams.cli;

import streams.pipelines.Pipelines;
import streams.pipelines.PipelineDescriptor;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The help texts: {@code scripts/run --help} and {@code scripts/run <pipeline> --help}. */
final class Usage {
  private Usage() {}

  static void printPipeline(PrintStream out, PipelineDescriptor<?> entry) {
    out.println("scripts/run " + entry.name + ": " + entry.summary);
    PipelineOptionsFactory.printHelp(out, entry.optionsClass);
    PipelineOptionsFactory.printHelp(out, RunOptions.class);
    PipelineOptionsFactory.printHelp(out, Recovery.Options.class);
    PipelineOptionsFactory.printHelp(out, ConsoleOptions.class);
  }

  static void print(PrintStream out) {
    out.println("Usage: scripts/run <pipeline> [--runner=direct|flink|spark] [options]");
    out.println("       scripts/generate --events=N --seed=S --out=FILE [--disorder=PT5S] [--late-fraction=F]");
    out.println("       scripts/generate --to-kafka --bootstrapServers=H:P [--topic=events] [--rate=EVENTS_PER_S]");
    out.println("       scripts/query DIR [--where field=value]... [--limit=N] [--runner=direct|flink|spark]");
    out.println("       scripts/run jobs|stop --flinkMaster=HOST:PORT [--savepointDir=DIR] [--job=ID|NAME] [--drain]");
    out.println("       scripts/compare [--pipelines=...] [--runners=...] [--events=N] [--repeat=3] [--out=DIR]");
    out.println();
    out.println("Pipelines:");
    Pipelines.all()
        .forEach(e -> out.printf(Locale.ROOT, "  %-10s %s%n", e.name, e.summary));
    out.println();
    out.println("Common options:");
    out.println("  --runner=NAME        " + Engines.ALLOWED + "; default flink (embedded)");
    out.println("  --input=PATH         JSON Lines file or glob (batch); default: --events generated events");
    out.println("  --output=DIR         results in DIR/results-*.jsonl, dead letters in DIR/dead-letter/");
    out.println("                       (a new, empty or earlier output folder: files the project did not write are never deleted)");
    out.println("  --events=N --seed=S  size and seed of the generated input (default 100000, 42)");
    out.println("  --source=kafka --bootstrapServers=H:P --topic=T [--maxOutOfOrderness=PT5S] [--idleTimeout=PT10S]");
    out.println("                       read Kafka (a streaming job); --readMode=bounded --maxRecords=N is a batch run");
    out.println("  --sink=kafka --outputTopic=T [--exactlyOnce]   or   --sink=parquet --output=DIR");
    out.println("  --archive=DIR        also write the valid events as Parquet (the data-lake copy)");
    out.println("  --stopAfter=PT2M --stopWhenIdle=PT15S   end a streaming run by itself");
    out.println("  --verbose            engine log lines on the console too; they always go to the log file");
    out.println("                       (output/logs/<pipeline>-<runner>-<time>.log, next to the output folder; --logDir=DIR)");
    out.println("Engine options are Beam's own, e.g. --parallelism, --flinkMaster=host:port, --maxBundleSize,");
    out.println("--sparkMaster=spark://host:7077, --batchIntervalMillis, --streaming (a run takes its own engine's).");
    out.println("Embedded engines by default: Flink [local] mini-cluster, Spark local[*].");
    out.println("scripts/run <pipeline> --help lists the pipeline's own options.");
  }
}
