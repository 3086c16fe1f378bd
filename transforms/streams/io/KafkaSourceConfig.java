package streams.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.joda.time.Duration;
import streams.transforms.Durations;

/**
 * The Kafka source, typed and validated: brokers, topics, the watermark's bounded out-of-orderness and idle
 * timeout, and the read mode. Built from {@link KafkaIoOptions} by {@link #from}; an invalid combination
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

  private final String bootstrapServers;
  private final List<String> topics;
  private final Duration maxOutOfOrderness;
  private final Duration idleTimeout;
  private final ReadMode readMode;
  private final Long maxRecords;
  private final Duration maxReadTime;

  private KafkaSourceConfig(
      String bootstrapServers,
      List<String> topics,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      ReadMode readMode,
      Long maxRecords,
      Duration maxReadTime) {
    this.bootstrapServers = bootstrapServers;
    this.topics = Collections.unmodifiableList(new ArrayList<>(topics));
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleTimeout = idleTimeout;
    this.readMode = readMode;
    this.maxRecords = maxRecords;
    this.maxReadTime = maxReadTime;
  }

  /** An unbounded source with the default watermark settings (PT5S out-of-orderness, PT10S idle). */
  public static KafkaSourceConfig unbounded(String bootstrapServers, List<String> topics) {
    return new KafkaSourceConfig(
        require("bootstrapServers", bootstrapServers),
        requireTopics(topics),
        Duration.standardSeconds(5),
        Duration.standardSeconds(10),
        ReadMode.UNBOUNDED,
        null,
        null);
  }

  public static KafkaSourceConfig from(KafkaIoOptions options) {
    List<String> topics = new ArrayList<>();
    for (String t :
        new String[] {
          options.getTopic(), options.getOrderTopic(), options.getPaymentTopic(), options.getTransactionTopic()
        }) {
      if (t != null && !t.isBlank() && !topics.contains(t.trim())) {
        topics.add(t.trim());
      }
    }
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
    return new KafkaSourceConfig(
        require("bootstrapServers", options.getBootstrapServers()),
        topics,
        Durations.parseNonNegative("maxOutOfOrderness", options.getMaxOutOfOrderness()),
        Durations.parsePositive("idleTimeout", options.getIdleTimeout()),
        mode,
        maxRecords,
        mode == ReadMode.BOUNDED ? Durations.parsePositive("maxReadTime", options.getMaxReadTime()) : null);
  }

  public KafkaSourceConfig withWatermark(Duration maxOutOfOrderness, Duration idleTimeout) {
    return new KafkaSourceConfig(
        bootstrapServers, topics, maxOutOfOrderness, idleTimeout, readMode, maxRecords, maxReadTime);
  }

  /** The labelled bounded mode: at most {@code maxRecords} (null: no limit) and at most {@code maxReadTime}. */
  public KafkaSourceConfig bounded(Long maxRecords, Duration maxReadTime) {
    return new KafkaSourceConfig(
        bootstrapServers, topics, maxOutOfOrderness, idleTimeout, ReadMode.BOUNDED, maxRecords, maxReadTime);
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
