package streams.io;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;
import streams.transforms.Durations;

/**
 * The event source of every pipeline: JSON Lines from files ({@code --source=file --input=PATH}, bounded)
 * or JSON messages from Kafka ({@code --source=kafka}), one event a line or message, UTF-8. The output is
 * the raw text, for {@code ParseEvents}.
 *
 * <p>Kafka: each element is stamped with its event's own time and the watermark follows {@link
 * EventTimePolicy} (bounded out-of-orderness per partition, idle partitions do not hold it back). A record
 * whose value is not a valid event keeps the broker's timestamp and goes on to the dead letters; so does an
 * event more than {@code --maxEventTimeJump} (default PT1H) ahead of its partition's event time and of the
 * wall clock, stamped with the partition's time so that it moves no watermark. The read
 * starts at the earliest offset of every partition and commits nothing. {@code --readMode=unbounded}
 * (default) is a streaming job that runs until cancelled; {@code --readMode=bounded} is a separate,
 * labelled mode that reads at most {@code --maxRecords} records or for {@code --maxReadTime} and then
 * ends: the runner executes it as a batch job, where nothing is ever late.
 *
 * <p>Example: {@code --source=kafka --bootstrapServers=127.0.0.1:9092 --topic=events
 * --maxOutOfOrderness=PT5S --idleTimeout=PT10S --maxEventTimeJump=PT1H}
 */
public final class ReadEvents extends PTransform<PBegin, PCollection<String>> {
  private final String filePattern;
  private final KafkaSourceConfig kafka;
  private final Duration maxEventTimeJump;

  private ReadEvents(String filePattern, KafkaSourceConfig kafka, Duration maxEventTimeJump) {
    this.filePattern = filePattern;
    this.kafka = kafka;
    this.maxEventTimeJump = maxEventTimeJump;
  }

  /** The source the options choose: {@code --source=file} reads {@code input}, {@code kafka} the topics. */
  public static ReadEvents from(KafkaIoOptions options, String input) {
    String source = options.getSource() == null ? "file" : options.getSource().trim().toLowerCase(Locale.ROOT);
    switch (source) {
      case "file":
        if (input == null || input.isBlank()) {
          throw new IllegalArgumentException("--source=file needs --input=PATH");
        }
        return fromFiles(input);
      case "kafka":
        return fromKafka(KafkaSourceConfig.from(options))
            .withMaxEventTimeJump(Durations.parsePositive("maxEventTimeJump", options.getMaxEventTimeJump()));
      default:
        throw new IllegalArgumentException(
            "--source=" + options.getSource() + " is not a source; allowed: file, kafka");
    }
  }

  public static ReadEvents fromFiles(String filePattern) {
    return new ReadEvents(filePattern, null, EventTimePolicy.DEFAULT_MAX_EVENT_TIME_JUMP);
  }

  public static ReadEvents fromKafka(KafkaSourceConfig config) {
    return new ReadEvents(null, config, EventTimePolicy.DEFAULT_MAX_EVENT_TIME_JUMP);
  }

  /** Kafka: how far ahead of its partition's event time (and the wall clock) an event may be. */
  public ReadEvents withMaxEventTimeJump(Duration jump) {
    return new ReadEvents(filePattern, kafka, jump);
  }

  public boolean isKafka() {
    return kafka != null;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    if (kafka == null) {
      return begin.apply("ReadEventLines", ReadEventLines.from(filePattern));
    }
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(kafka.bootstrapServers())
            .withTopics(kafka.topics())
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(
                Map.of(
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))
            .withTimestampPolicyFactory(
                EventTimePolicy.factory(kafka.maxOutOfOrderness(), kafka.idleTimeout(), maxEventTimeJump));
    if (kafka.readMode() == KafkaSourceConfig.ReadMode.BOUNDED) {
      // Both limits: a count alone is split across partitions and waits forever for a partition that
      // cannot supply its share.
      if (kafka.maxRecords() != null) {
        read = read.withMaxNumRecords(kafka.maxRecords());
      }
      read = read.withMaxReadTime(kafka.maxReadTime());
    }
    return begin
        .apply("ReadKafka", read)
        .apply("RecordValues", ParDo.of(new ValueAsTextFn()))
        .setCoder(StringUtf8Coder.of());
  }

  /** The record's value as UTF-8 text; a record without a value becomes an empty line (a dead letter). */
  static final class ValueAsTextFn extends DoFn<KafkaRecord<byte[], byte[]>, String> {
    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<String> out) {
      byte[] value = record.getKV().getValue();
      out.output(value == null ? "" : new String(value, StandardCharsets.UTF_8));
    }
  }
}
