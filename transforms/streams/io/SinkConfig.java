package streams.io;

import java.io.Serializable;
import java.util.Locale;
import org.joda.time.Duration;
import streams.transforms.Durations;

/**
 * Where a pipeline's results and dead letters go, typed and validated: JSON Lines files, Kafka topics
 * (optionally exactly-once) or Parquet files. Built from {@link KafkaIoOptions} and the {@code --output}
 * folder by {@link #from}; an invalid combination raises {@link IllegalArgumentException} naming the flag.
 */
public final class SinkConfig implements Serializable {
  public enum Kind {
    FILES,
    KAFKA,
    PARQUET
  }

  private final Kind kind;
  private final String outputDir;
  private final String bootstrapServers;
  private final String outputTopic;
  private final String deadLetterTopic;
  private final boolean exactlyOnce;
  private final int numShards;
  private final String sinkGroupId;
  private final Duration flushInterval;
  private final String lateTopic;

  private SinkConfig(
      Kind kind,
      String outputDir,
      String bootstrapServers,
      String outputTopic,
      String deadLetterTopic,
      boolean exactlyOnce,
      int numShards,
      String sinkGroupId,
      Duration flushInterval,
      String lateTopic) {
    this.kind = kind;
    this.outputDir = outputDir;
    this.bootstrapServers = bootstrapServers;
    this.outputTopic = outputTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.exactlyOnce = exactlyOnce;
    this.numShards = numShards;
    this.sinkGroupId = sinkGroupId;
    this.flushInterval = flushInterval;
    this.lateTopic = lateTopic;
  }

  public static SinkConfig from(KafkaIoOptions options, String outputDir) {
    Kind kind = parseKind(options.getSink());
    Duration flush = Durations.parsePositive("fileFlushInterval", options.getFileFlushInterval());
    if (options.getExactlyOnce() && kind != Kind.KAFKA) {
      throw new IllegalArgumentException("--exactlyOnce applies to --sink=kafka only");
    }
    if (kind != Kind.KAFKA) {
      if (outputDir == null || outputDir.isBlank()) {
        throw new IllegalArgumentException("--sink=" + name(kind) + " needs --output=DIR");
      }
      return new SinkConfig(kind, outputDir, null, null, null, false, 1, null, flush, null);
    }
    String topic = options.getOutputTopic();
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("--sink=kafka needs --outputTopic=T");
    }
    topic = topic.trim();
    String deadLetters =
        options.getDeadLetterTopic() == null || options.getDeadLetterTopic().isBlank()
            ? topic + "-dead-letter"
            : options.getDeadLetterTopic().trim();
    if (deadLetters.equals(topic)) {
      throw new IllegalArgumentException("--deadLetterTopic must differ from --outputTopic (" + topic + ")");
    }
    if (options.getNumShards() < 1) {
      throw new IllegalArgumentException("--numShards=" + options.getNumShards() + " must be at least 1");
    }
    String late =
        options.getLateTopic() == null || options.getLateTopic().isBlank()
            ? topic + "-late"
            : options.getLateTopic().trim();
    if (late.equals(topic) || late.equals(deadLetters)) {
      throw new IllegalArgumentException(
          "--lateTopic must differ from --outputTopic and --deadLetterTopic (" + late + ")");
    }
    String groupId = options.getSinkGroupId();
    return new SinkConfig(
        Kind.KAFKA,
        outputDir,
        KafkaSourceConfig.require("bootstrapServers", options.getBootstrapServers()),
        topic,
        deadLetters,
        options.getExactlyOnce(),
        options.getNumShards(),
        groupId == null || groupId.isBlank() ? null : groupId.trim(),
        flush,
        late);
  }

  /** Kafka: the topic of the events later than allowed lateness ({@code --lateTopic}, default {@code <outputTopic>-late}). */
  public String lateTopic() {
    return lateTopic;
  }

  static Kind parseKind(String value) {
    String v = value == null ? "files" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "files":
        return Kind.FILES;
      case "kafka":
        return Kind.KAFKA;
      case "parquet":
        return Kind.PARQUET;
      default:
        throw new IllegalArgumentException("--sink=" + value + " is not a sink; allowed: files, kafka, parquet");
    }
  }

  private static String name(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  public Kind kind() {
    return kind;
  }

  /** The --output folder (files and parquet sinks; may be null for kafka). */
  public String outputDir() {
    return outputDir;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String outputTopic() {
    return outputTopic;
  }

  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  public boolean exactlyOnce() {
    return exactlyOnce;
  }

  public int numShards() {
    return numShards;
  }

  /** The exactly-once sink group of {@code topic}. */
  public String sinkGroupId(String topic) {
    return sinkGroupId == null ? "streams-eos-" + topic : sinkGroupId + "-" + topic;
  }

  /** How often files of unwindowed unbounded data are closed (processing time). */
  public Duration flushInterval() {
    return flushInterval;
  }
}
