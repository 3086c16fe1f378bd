package streams.io;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import streams.transforms.MetricNames;
import streams.transforms.ParseEvents;
import org.joda.time.Duration;
import streams.transforms.Durations;

/**
 * The event source of every pipeline: JSON Lines from files ({@code --source=file --input=PATH}, bounded)
 * or JSON messages from Kafka ({@code --source=kafka}), one event a line or message, UTF-8. The output is
 * the raw text, for {@code ParseEvents}.
 *
 * <p>Kafka: each element is stamped with its event's own time and the watermark follows {@link
 * EventTimePolicy} (bounded out-of-orderness per partition, idle partitions do not hold it back). A record
 * whose value is not a valid event keeps the broker's timestamp and goes on to the dead letters.
 *
 * <p>The source is a consumer group ({@code --groupId}, default {@code
 * portable-streams.<pipeline>.<topics>}): it reads only committed transactional data ({@code
 * isolation.level=read_committed}) and commits the offsets of what it has read when the runner finalizes
 * them ({@code commitOffsetsInFinalize}; when that happens differs per runner, see the README). Without a
 * checkpoint it starts where {@code --startFrom} says: {@code committed} (default) at the group's committed
 * offsets, or the earliest offset of a partition the group has none for; {@code earliest} at the beginning
 * and {@code latest} at the end of every partition, whatever the group committed. An event more than {@code
 * --maxEventTimeJump} (default PT1H) ahead of its partition's event time and of the wall clock is a dead
 * letter too, stamped with the partition's time so that it moves no watermark. {@code --readMode=unbounded}
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
  private final ReadEnd end;
  private final Duration maxEventTimeJump;
  private boolean dropReplayedOffsets;

  private ReadEvents(String filePattern, KafkaSourceConfig kafka, ReadEnd end, Duration maxEventTimeJump) {
    this.filePattern = filePattern;
    this.kafka = kafka;
    this.end = end;
    this.maxEventTimeJump = maxEventTimeJump;
  }

  /** Kafka: let each offset through once, even if a restored job reads a partition twice ({@link DropReplayedOffsets}). */
  public ReadEvents dropReplayedOffsets(boolean drop) {
    ReadEvents r = new ReadEvents(filePattern, kafka, end, maxEventTimeJump);
    r.dropReplayedOffsets = drop;
    return r;
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
            .drainedBy(options.getDrainSignal())
            .endingPartitionsTogether(Boolean.TRUE.equals(options.getEndPartitionsTogether()))
            .withMaxEventTimeJump(Durations.parsePositive("maxEventTimeJump", options.getMaxEventTimeJump()))
            .dropReplayedOffsets(options.getDropReplayedOffsets());
      default:
        throw new IllegalArgumentException(
            "--source=" + options.getSource() + " is not a source; allowed: file, kafka");
    }
  }

  public static ReadEvents fromFiles(String filePattern) {
    return new ReadEvents(filePattern, null, null, EventTimePolicy.DEFAULT_MAX_EVENT_TIME_JUMP);
  }

  public static ReadEvents fromKafka(KafkaSourceConfig config) {
    return new ReadEvents(null, config, ReadEnd.onDrain(null), EventTimePolicy.DEFAULT_MAX_EVENT_TIME_JUMP);
  }

  /** A Kafka read that ends, and lets the job drain, once the file {@code drainSignal} exists. */
  public ReadEvents drainedBy(String drainSignal) {
    return kafka == null
        ? this
        : new ReadEvents(null, kafka, ReadEnd.onDrain(drainSignal), maxEventTimeJump).dropReplayedOffsets(dropReplayedOffsets);
  }

  /**
   * A Kafka read that ends (to the topics' end, or drained) moves no partition's watermark to the end of time
   * before every partition of the read has reached its end in this JVM: for a runner whose source watermark
   * is the latest of its readers' (one runner does so), where one reader ending early would end the whole read.
   */
  public ReadEvents endingPartitionsTogether(boolean together) {
    return kafka == null || !together ? this : new ReadEvents(null, kafka, end.together(), maxEventTimeJump).dropReplayedOffsets(dropReplayedOffsets);
  }

  /** Kafka: how far ahead of its partition's event time (and the wall clock) an event may be. */
  public ReadEvents withMaxEventTimeJump(Duration jump) {
    return new ReadEvents(filePattern, kafka, end, jump).dropReplayedOffsets(dropReplayedOffsets);
  }

  public boolean isKafka() {
    return kafka != null;
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    if (kafka == null) {
      return begin.apply("ReadEventLines", ReadEventLines.from(filePattern));
    }
    ReadEnd readEnd =
        kafka.readMode() == KafkaSourceConfig.ReadMode.TO_END
            ? end.atCurrentEnd(kafka.bootstrapServers(), kafka.topics())
            : end;
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(kafka.bootstrapServers())
            .withTopics(kafka.topics())
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId(),
                    // Where a partition the group has no committed offset for starts (--startFrom=committed).
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    // Offsets are committed by commitOffsetsInFinalize, never by the consumer on its own.
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))
            .withReadCommitted()
            .commitOffsetsInFinalize()
            .withTimestampPolicyFactory(
                readEnd.wrap(
                    EventTimePolicy.factory(
                        kafka.maxOutOfOrderness(), kafka.idleTimeout(), maxEventTimeJump)));
    if (kafka.startFrom() != KafkaSourceConfig.StartFrom.COMMITTED) {
      // KafkaIO has no "ignore the committed offsets" setting, and withStartReadTime fails on a partition
      // without a message at or after that time (an empty one, or any with "latest"). The consumer seeks to
      // the beginning or end as soon as partitions are assigned; a checkpoint's offsets still win, as the
      // reader seeks to them afterwards.
      read = read.withConsumerFactoryFn(new StartPositionConsumerFactory(kafka.startFrom()));
    }
    if (kafka.readMode() == KafkaSourceConfig.ReadMode.BOUNDED) {
      // Both limits: a count alone is split across partitions and waits forever for a partition that
      // cannot supply its share.
      if (kafka.maxRecords() != null) {
        read = read.withMaxNumRecords(kafka.maxRecords());
      }
      read = read.withMaxReadTime(kafka.maxReadTime());
    }
    PCollection<KafkaRecord<byte[], byte[]>> records = begin.apply("ReadKafka", read);
    if (dropReplayedOffsets) {
      records = records.apply("DropReplayedOffsets", new DropReplayedOffsets());
    }
    return records
        .apply("RecordValues", ParDo.of(new ValueAsTextFn(readEnd)))
        .setCoder(StringUtf8Coder.of());
  }

  /** Consumers that start every assigned partition at its beginning or end, not at the group's offset. */
  static final class StartPositionConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private final KafkaSourceConfig.StartFrom start;

    StartPositionConsumerFactory(KafkaSourceConfig.StartFrom start) {
      this.start = start;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      return new StartPositionConsumer(config, start);
    }
  }

  static final class StartPositionConsumer extends KafkaConsumer<byte[], byte[]> {
    private final KafkaSourceConfig.StartFrom start;

    StartPositionConsumer(Map<String, Object> config, KafkaSourceConfig.StartFrom start) {
      super(config);
      this.start = start;
    }

    @Override
    public void assign(Collection<TopicPartition> partitions) {
      super.assign(partitions);
      if (start == KafkaSourceConfig.StartFrom.EARLIEST) {
        seekToBeginning(partitions);
      } else {
        seekToEnd(partitions);
      }
    }
  }

  /** The record's value as UTF-8 text; a record without a value becomes an empty line (a dead letter). */
  static final class ValueAsTextFn extends DoFn<KafkaRecord<byte[], byte[]>, String> {
    private final Counter afterEnd = Metrics.counter(MetricNames.NAMESPACE, MetricNames.RECORDS_AFTER_END);
    private final ReadEnd end;

    ValueAsTextFn(ReadEnd end) {
      this.end = end;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<String> out) {
      if (end.beyondEnd(record)) {
        // --readMode=toEnd: appended after the job started; left for the next run.
        afterEnd.inc();
        return;
      }
      byte[] value = record.getKV().getValue();
      out.output(value == null ? "" : new String(value, StandardCharsets.UTF_8));
    }
  }
}
