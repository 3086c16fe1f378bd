package streams.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.joda.time.Duration;
import streams.transforms.Durations;

/**
 * The Kafka source, typed and validated: brokers, topics, the consumer group and where to start without a
 * checkpoint, the watermark's bounded out-of-orderness and idle timeout, and the read mode. Built from {@link KafkaIoOptions} by {@link #from}; an invalid combination
 * raises {@link IllegalArgumentException} with one line naming the flag.
 */
public final class KafkaSourceConfig implements Serializable {
  /**
   * unbounded: a streaming job until stopped. toEnd: a streaming job over the topics' content at start,
   * that ends by itself ({@link ReadEnd}). bounded: a labelled batch mode that ends by itself.
   */
  public enum ReadMode {
    UNBOUNDED,
    TO_END,
    BOUNDED
  }

  /** Where a read without a checkpoint starts ({@code --startFrom}). */
  public enum StartFrom {
    /** The group's committed offsets; a partition without one starts at its earliest offset. */
    COMMITTED,
    /** Every partition from its earliest offset, whatever the group committed. */
    EARLIEST,
    /** Every partition from its end when the reader starts, whatever the group committed. */
    LATEST
  }

  /** Prefix of the default consumer group. */
  public static final String GROUP_PREFIX = "portable-streams";

  private final String bootstrapServers;
  private final List<String> topics;
  private final Duration maxOutOfOrderness;
  private final Duration idleTimeout;
  private final ReadMode readMode;
  private final Long maxRecords;
  private final Duration maxReadTime;
  private final String groupId;
  private final StartFrom startFrom;

  private KafkaSourceConfig(
      String bootstrapServers,
      List<String> topics,
      String groupId,
      StartFrom startFrom,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      ReadMode readMode,
      Long maxRecords,
      Duration maxReadTime) {
    this.bootstrapServers = bootstrapServers;
    this.topics = Collections.unmodifiableList(new ArrayList<>(topics));
    this.groupId = groupId;
    this.startFrom = startFrom;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleTimeout = idleTimeout;
    this.readMode = readMode;
    this.maxRecords = maxRecords;
    this.maxReadTime = maxReadTime;
  }

  /**
   * An unbounded source with the default watermark settings (PT5S out-of-orderness, PT10S idle), the
   * default group of no named pipeline and {@link StartFrom#COMMITTED}.
   */
  public static KafkaSourceConfig unbounded(String bootstrapServers, List<String> topics) {
    return new KafkaSourceConfig(
        require("bootstrapServers", bootstrapServers),
        requireTopics(topics),
        defaultGroupId(null, topics),
        StartFrom.COMMITTED,
        Duration.standardSeconds(5),
        Duration.standardSeconds(10),
        ReadMode.UNBOUNDED,
        null,
        null);
  }

  public static KafkaSourceConfig from(KafkaIoOptions options) {
    List<String> topics = topicsOf(options);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException(
          "--source=kafka needs --topic=T (or --orderTopic/--paymentTopic/--transactionTopic)");
    }
    ReadMode mode = parseMode(options.getReadMode());
    Long maxRecords = options.getMaxRecords();
    if (maxRecords != null && maxRecords <= 0) {
      throw new IllegalArgumentException("--maxRecords=" + maxRecords + " must be positive");
    }
    if (mode == ReadMode.UNBOUNDED && maxRecords != null) {
      throw new IllegalArgumentException(
          "--maxRecords only applies to --readMode=bounded (an unbounded read runs until cancelled)");
    }
    String group = options.getGroupId();
    if (group != null && group.isBlank()) {
      throw new IllegalArgumentException("--groupId must not be empty");
    }
    return new KafkaSourceConfig(
        require("bootstrapServers", options.getBootstrapServers()),
        topics,
        group == null ? defaultGroupId(null, topics) : group.trim(),
        parseStartFrom(options.getStartFrom()),
        Durations.parseNonNegative("maxOutOfOrderness", options.getMaxOutOfOrderness()),
        Durations.parsePositive("idleTimeout", options.getIdleTimeout()),
        mode,
        maxRecords,
        mode == ReadMode.BOUNDED ? Durations.parsePositive("maxReadTime", options.getMaxReadTime()) : null);
  }

  /** The topics of {@code --topic}, {@code --orderTopic}, {@code --paymentTopic}, {@code --transactionTopic}. */
  public static List<String> topicsOf(KafkaIoOptions options) {
    List<String> topics = new ArrayList<>();
    for (String t :
        new String[] {
          options.getTopic(), options.getOrderTopic(), options.getPaymentTopic(), options.getTransactionTopic()
        }) {
      if (t != null && !t.isBlank() && !topics.contains(t.trim())) {
        topics.add(t.trim());
      }
    }
    return topics;
  }

  /**
   * The consumer group a pipeline's source uses when {@code --groupId} is not given: {@code
   * portable-streams.<pipeline>.<topic>[,<topic>...]} (without the pipeline part when {@code pipeline} is
   * null). Stable across runs, so a restarted job resumes where the last one left off; different for two
   * pipelines reading one topic, so each gets every event.
   */
  public static String defaultGroupId(String pipeline, List<String> topics) {
    return GROUP_PREFIX + (pipeline == null ? "" : "." + pipeline) + "." + String.join(",", topics);
  }

  public KafkaSourceConfig withWatermark(Duration maxOutOfOrderness, Duration idleTimeout) {
    return new KafkaSourceConfig(
        bootstrapServers, topics, groupId, startFrom, maxOutOfOrderness, idleTimeout, readMode, maxRecords, maxReadTime);
  }

  /** The labelled bounded mode: at most {@code maxRecords} (null: no limit) and at most {@code maxReadTime}. */
  public KafkaSourceConfig bounded(Long maxRecords, Duration maxReadTime) {
    return new KafkaSourceConfig(
        bootstrapServers, topics, groupId, startFrom, maxOutOfOrderness, idleTimeout, ReadMode.BOUNDED, maxRecords,
        maxReadTime);
  }

  static StartFrom parseStartFrom(String value) {
    String v = value == null ? "committed" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "committed":
        return StartFrom.COMMITTED;
      case "earliest":
        return StartFrom.EARLIEST;
      case "latest":
        return StartFrom.LATEST;
      default:
        throw new IllegalArgumentException(
            "--startFrom=" + value + " is not a start position; allowed: earliest, latest, committed");
    }
  }

  static ReadMode parseMode(String value) {
    String v = value == null ? "unbounded" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "unbounded":
        return ReadMode.UNBOUNDED;
      case "toend":
        return ReadMode.TO_END;
      case "bounded":
        return ReadMode.BOUNDED;
      default:
        throw new IllegalArgumentException(
            "--readMode=" + value + " is not a read mode; allowed: unbounded, toEnd, bounded");
    }
  }

  static String require(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + flag + " is required with Kafka (e.g. --" + flag + "=127.0.0.1:9092)");
    }
    return value.trim();
  }

  private static List<String> requireTopics(List<String> topics) {
    if (topics == null || topics.isEmpty()) {
      throw new IllegalArgumentException("at least one topic is required");
    }
    return topics;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public List<String> topics() {
    return topics;
  }

  public String groupId() {
    return groupId;
  }

  public StartFrom startFrom() {
    return startFrom;
  }

  public Duration maxOutOfOrderness() {
    return maxOutOfOrderness;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public ReadMode readMode() {
    return readMode;
  }

  /** Null when not limited by count. */
  public Long maxRecords() {
    return maxRecords;
  }

  /** Null in unbounded mode. */
  public Duration maxReadTime() {
    return maxReadTime;
  }
}
