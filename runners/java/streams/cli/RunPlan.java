package streams.cli;

import streams.pipelines.Pipelines;
import streams.pipelines.PipelineDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;
import streams.io.KafkaSourceConfig;
import streams.io.OutputDirs;
import streams.pipelines.StreamsOptions;

/**
 * Everything decided from a pipeline's command line before the job starts: the engine, the options with
 * their defaults filled in, the source and sink, batch or streaming and how a streaming job ends, and the
 * pipeline built. Every mistake found here is a {@link UsageException}.
 */
final class RunPlan {
  final PipelineDescriptor<?> entry;
  final Engines engine;
  final StreamsOptions options;
  final SourceKind source;
  final SinkKind sink;
  final boolean streaming;
  /** Streaming: when the command line ends the job by itself (null: not on a deadline / never idle). */
  final Duration stopAfter;
  final Duration stopWhenIdle;
  final Duration drainTimeout;
  /** Streaming from Kafka with {@code --stop=drain}: the file that asks the sources to finish; else null. */
  final Path drainSignal;
  final Pipeline pipeline;

  private RunPlan(
      PipelineDescriptor<?> entry,
      Engines engine,
      StreamsOptions options,
      SourceKind source,
      SinkKind sink,
      boolean streaming,
      Duration stopAfter,
      Duration stopWhenIdle,
      Duration drainTimeout,
      Path drainSignal,
      Pipeline pipeline) {
    this.entry = entry;
    this.engine = engine;
    this.options = options;
    this.source = source;
    this.sink = sink;
    this.streaming = streaming;
    this.stopAfter = stopAfter;
    this.stopWhenIdle = stopWhenIdle;
    this.drainTimeout = drainTimeout;
    this.drainSignal = drainSignal;
    this.pipeline = pipeline;
  }

  String name() {
    return entry.name;
  }

  ConsoleOptions console() {
    return options.as(ConsoleOptions.class);
  }

  /** The plan of {@code scripts/run <entry> <args>}; may print that it generates the input. */
  static RunPlan of(PipelineDescriptor<?> entry, List<String> args, PrintStream out) {
    String name = entry.name;
    Engines engine = Engines.fromArgs(args);
    StreamsOptions options = Flags.parseOptions(Engines.normalise(args, engine), entry.optionsClass);
    engine.configureStaging(options, args);
    Integer parallelism = options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getParallelism();
    if (engine == Engines.FLINK && parallelism != null && parallelism != -1 && parallelism < 1) {
      throw new UsageException(
          "--parallelism=" + parallelism + " is not a parallelism; allowed: a positive number of parallel tasks,"
              + " or -1 (the engine's default)");
    }
    FileSystems.setDefaultPipelineOptions(options);
    SourceKind source = SourceKind.parse(options.getSource());
    SinkKind sink = SinkKind.parse(options.getSink());
    ConsoleOptions console = options.as(ConsoleOptions.class);
    Flags.duration("progressInterval", console.getProgressInterval());
    if (source == SourceKind.KAFKA) {
      if (options.getInput() != null) {
        throw new UsageException("--input is for --source=file; --source=kafka reads --topic");
      }
      if (options.getGroupId() == null) {
        options.setGroupId(KafkaSourceConfig.defaultGroupId(name, KafkaSourceConfig.topicsOf(options)));
      }
      if (engine == Engines.SPARK) {
        // Spark's watermark of a source is the latest of its readers': see ReadEvents.endingPartitionsTogether.
        options.setEndPartitionsTogether(true);
      }
    } else if (options.getInput() == null) {
      if (options.getEvents() < 0) {
        throw new UsageException("--events=" + options.getEvents() + " must not be negative");
      }
      options.setInput(InputFiles.generated(options.getEvents(), options.getSeed(), out).toString());
    } else {
      requireLocal("input", options.getInput(), "a local file or glob");
      InputFiles.requireExists(options.getInput());
    }
    requireLocal("output", options.getOutput(), "a local folder");
    if (options.getOutput() == null && sink != SinkKind.KAFKA) {
      options.setOutput(Paths.get("output", name + "-" + engine).toAbsolutePath().toString());
    }
    options.setJobName(name + "-" + engine + "-" + System.currentTimeMillis());
    RunOptions run = options.as(RunOptions.class);
    Duration stopAfter = Flags.optionalDuration("stopAfter", run.getStopAfter());
    Duration stopWhenIdle = Flags.optionalDuration("stopWhenIdle", run.getStopWhenIdle());
    boolean unboundedKafka =
        source == SourceKind.KAFKA
            && !"bounded".equalsIgnoreCase(String.valueOf(options.getReadMode()).trim());
    boolean streaming = options.as(StreamingOptions.class).isStreaming() || unboundedKafka;
    boolean drain = Flags.parseStop(run.getStop());
    if (streaming && engine == Engines.FLINK && sink == SinkKind.KAFKA && options.getExactlyOnce()) {
      // Beam's exactly-once Kafka sink on Flink cannot end by itself: at the end of input the runner finds
      // the sink's watermark holds still set ("There are still watermark holds left when terminating
      // operator"), fails the job and restarts it for ever. Such a job is cancelled; what it committed stays
      // consistent, and --restoreFrom=latest resumes it.
      if (args.stream().anyMatch(a -> a.startsWith("--stop=")) && drain) {
        throw new UsageException(
            "--stop=drain cannot end an --exactlyOnce job on flink (the runner fails at the end of input with"
                + " the Kafka sink's watermark holds set); use --stop=cancel, then --restoreFrom=latest to resume");
      }
      if ("toEnd".equalsIgnoreCase(String.valueOf(options.getReadMode()).trim())) {
        throw new UsageException(
            "--readMode=toEnd cannot end an --exactlyOnce job on flink (the runner fails at the end of input with"
                + " the Kafka sink's watermark holds set); read unbounded and stop with --stopWhenIdle or"
                + " --stopAfter (the job is cancelled)");
      }
      drain = false;
    }
    Duration drainTimeout = Flags.duration("drainTimeout", run.getDrainTimeout());
    Path drainSignal = null;
    if (streaming && source == SourceKind.KAFKA && drain) {
      drainSignal = clearedDrainSignal(options);
    }
    if (streaming) {
      engine.configureStreaming(options, args);
      if (unboundedKafka) {
        engine.configureKafkaSource(options, args);
      }
    } else if (stopAfter != null || stopWhenIdle != null) {
      throw new UsageException(
          "--stopAfter and --stopWhenIdle end streaming jobs; this run is a batch job (add --streaming or"
              + " --source=kafka)");
    }
    Recovery.configure(engine, name, options.getGroupId(), streaming, options, args, out);

    Pipeline pipeline = Pipeline.create(options);
    try {
      entry.build(pipeline, options);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    RunnerLimits.check(entry, engine, pipeline);
    if (engine == Engines.SPARK && streaming && source == SourceKind.FILE) {
      // Measured: the results were written while the job was built, then the run failed with Spark's
      // "No output operations registered, so nothing to execute" and exit code 1.
      throw new UsageException(
          "--streaming with a file source does not run on spark: Beam's Spark runner reads a bounded source as"
              + " a batch job while it builds the pipeline, which leaves its streaming context nothing to run; drop"
              + " --streaming (a batch run gives the same results) or read --source=kafka");
    }
    KafkaDelivery.refusal(engine, options).ifPresent(why -> {
      throw new UsageException(why);
    });
    if (options.getOutput() != null && sink != SinkKind.KAFKA) {
      try {
        OutputDirs.prepare(
            options.getOutput(),
            source == SourceKind.KAFKA ? List.of() : InputFiles.localFiles(options.getInput()),
            options.getArchive());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return new RunPlan(
        entry, engine, options, source, sink, streaming, stopAfter, stopWhenIdle, drainTimeout, drainSignal, pipeline);
  }

  /**
   * Refuses a remote path (gs://, s3://, hdfs://...): the jar registers Beam's local file system only
   * (runners/shade), and Beam's own message would be "No filesystem found for scheme gs".
   */
  static void requireLocal(String flag, String value, String what) {
    if (value != null && value.matches("(?i)(?!file:)[a-z][a-z0-9+.-]+:/.*")) {
      throw new UsageException("--" + flag + "=" + value + ": --" + flag + " takes " + what);
    }
  }

  /** The drain signal file of this job (under the temporary folder unless --drainSignal), not there yet. */
  private static Path clearedDrainSignal(StreamsOptions options) {
    if (options.getDrainSignal() == null || options.getDrainSignal().isBlank()) {
      options.setDrainSignal(
          Paths.get(System.getProperty("java.io.tmpdir"), "portable-streams-drain-" + options.getJobName())
              .toString());
    }
    Path signal = Paths.get(options.getDrainSignal());
    try {
      Files.deleteIfExists(signal);
    } catch (IOException e) {
      throw new UsageException("cannot clear --drainSignal=" + signal + ": " + e.getMessage());
    }
    return signal;
  }

  /** What the job reads, for the first line of the run. */
  String describeSource() {
    if (source != SourceKind.KAFKA) {
      return options.getInput();
    }
    KafkaSourceConfig kafka = KafkaSourceConfig.from(options);
    return "kafka " + options.getBootstrapServers() + " " + kafka.topics() + " as group " + kafka.groupId()
        + ", from " + kafka.startFrom().name().toLowerCase(Locale.ROOT);
  }
}
