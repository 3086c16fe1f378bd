package streams.io;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * When a streaming Kafka read ends. A partition's read ends by moving its watermark to the end of time:
 * downstream every window closes with its final pane, every fraud and join buffer is decided by its timers,
 * and the runner finishes the read (most end the job by themselves; for a runner whose streaming job never
 * ends, the command line stops it once its watermark has reached the end, see {@code JobControl}).
 *
 * <ul>
 *   <li>never: a job that runs until stopped (the default of {@code --readMode=unbounded});
 *   <li>at the end offsets the topics had when the job was built ({@code --readMode=toEnd}): a streaming
 *       job over what the topics hold now, that finishes by itself. Records appended later are read by
 *       the consumer but not processed ({@link #beyondEnd}): the next run reads them.
 *   <li>when drained: once the file {@code --drainSignal} exists (the command line writes it on {@code
 *       --stopAfter}, {@code --stopWhenIdle} or Ctrl-C, with the topics' end offsets at that moment), each
 *       partition ends as soon as it has read up to that offset, so what was appended before the stop is
 *       processed.
 * </ul>
 */
public final class ReadEnd implements Serializable {
  private static final long DRAIN_CHECK_MILLIS = 200;

  /**
   * How far each partition has been read in this JVM, by read and partition: the next offset. It outlives
   * a reader, as runners re-create readers from checkpoints (micro-batch runners at every batch), and a fresh
   * reader knows neither where it started nor its backlog until it has asked its broker.
   */
  private static final Map<String, AtomicLong> NEXT_OFFSETS = new ConcurrentHashMap<>();

  /** By read: the partitions that have reached their end in this JVM (reads ending together only). */
  private static final Map<String, Set<String>> REACHED_END = new ConcurrentHashMap<>();

  /** {@code topic-partition} → the first offset not to process; null: no end offsets. */
  private final Map<String, Long> endOffsets;

  private final String drainSignal;
  private final String readId;

  /** No partition ends before every partition of the read has reached its end (see {@link #together}). */
  private final boolean together;

  private ReadEnd(Map<String, Long> endOffsets, String drainSignal, String readId, boolean together) {
    this.endOffsets = endOffsets;
    this.drainSignal = drainSignal;
    this.readId = readId;
    this.together = together;
  }

  /** A read that ends when {@code drainSignal} appears (null or blank: never). */
  public static ReadEnd onDrain(String drainSignal) {
    return new ReadEnd(
        null,
        drainSignal == null || drainSignal.isBlank() ? null : drainSignal,
        UUID.randomUUID().toString(),
        false);
  }

  /** A read that also ends at the topics' current end offsets (committed transactions only). */
  public ReadEnd atCurrentEnd(String bootstrapServers, List<String> topics) {
    return new ReadEnd(currentEndOffsets(bootstrapServers, topics), drainSignal, readId, together);
  }

  /**
   * This read, with every partition ending together: a partition that has reached its end keeps its
   * event-time watermark until every partition of the read (those of the end offsets, or of the drain
   * request) has reached its own in this JVM; then all move to the end of time. For a runner whose watermark
   * of a source is the latest of its readers' rather than the earliest: one of Beam's runners publishes, for
   * each micro-batch, the highest watermark of the source's splits (see runners/ and README), so a
   * split whose partitions ended first put the whole read at the end of time while another split still had
   * records: the command line stopped the job, and records read after that were behind the watermark (every
   * window expired), dropped. The partitions of the read must all be read in one JVM (an embedded engine,
   * or a cluster with one worker process); a partition read elsewhere would never be seen to end.
   */
  public ReadEnd together() {
    return new ReadEnd(endOffsets, drainSignal, readId, true);
  }

  /**
   * Asks the reads watching {@code signal} to drain: writes the topics' current end offsets there (the
   * offsets each partition must reach before it ends), atomically.
   */
  public static void requestDrain(Path signal, String bootstrapServers, List<String> topics) throws IOException {
    StringBuilder text = new StringBuilder();
    currentEndOffsets(bootstrapServers, topics).forEach((tp, offset) -> text.append(tp).append('=').append(offset).append('\n'));
    Path dir = signal.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".drain", ".tmp");
    Files.write(tmp, text.toString().getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, signal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static Map<String, Long> readOffsets(Path file) {
    Map<String, Long> offsets = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.lastIndexOf('=');
        if (eq > 0) {
          offsets.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return null;
    }
    return offsets;
  }

  /** True for a record at or after its partition's end offset: read, but not to be processed. */
  public boolean beyondEnd(KafkaRecord<?, ?> record) {
    if (endOffsets == null) {
      return false;
    }
    Long end = endOffsets.get(record.getTopic() + "-" + record.getPartition());
    return end == null || record.getOffset() >= end;
  }

  /** {@code inner}'s timestamps and watermark, with the watermark at the end of time once the read ends. */
  public TimestampPolicyFactory<byte[], byte[]> wrap(TimestampPolicyFactory<byte[], byte[]> inner) {
    if (endOffsets == null && drainSignal == null) {
      return inner;
    }
    return (TimestampPolicyFactory<byte[], byte[]>)
        (tp, previousWatermark) -> {
          String partition = tp.topic() + "-" + tp.partition();
          return new EndingPolicy(
              inner.createTimestampPolicy(tp, previousWatermark),
              partition,
              endOffsets == null ? null : endOffsets.getOrDefault(partition, 0L),
              drainSignal,
              NEXT_OFFSETS.computeIfAbsent(readId + "/" + partition, k -> new AtomicLong(-1)),
              together ? REACHED_END.computeIfAbsent(readId, k -> ConcurrentHashMap.newKeySet()) : null,
              endOffsets == null ? null : endOffsets.keySet(),
              previousWatermark);
        };
  }

  static Map<String, Long> currentEndOffsets(String bootstrapServers, List<String> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    Map<String, Long> ends = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new java.util.ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalArgumentException(
              "--readMode=toEnd: topic " + topic + " does not exist on " + bootstrapServers);
        }
        for (PartitionInfo p : infos) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      consumer.endOffsets(partitions).forEach((tp, offset) -> ends.put(tp.topic() + "-" + tp.partition(), offset));
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException(
          "--readMode=toEnd: cannot read the end offsets of " + topics + " on " + bootstrapServers + ": "
              + e.getMessage());
    }
    return ends;
  }

  /** Delegates to the event-time policy until the partition's read ends, then holds the end of time. */
  static final class EndingPolicy extends TimestampPolicy<byte[], byte[]> {
    private final TimestampPolicy<byte[], byte[]> inner;
    private final String partition;
    private final Long endOffset;
    private final String drainSignal;
    private final AtomicLong nextOffset;
    /** Null: this partition ends on its own; else the partitions of the read that have reached their end. */
    private final Set<String> reachedEnd;
    /** The partitions of the read to the end offsets (null: those of the drain request, once it exists). */
    private Set<String> readPartitions;
    private boolean reached;
    private boolean ended;
    private Long drainOffset;
    private long nextDrainCheck;

    EndingPolicy(
        TimestampPolicy<byte[], byte[]> inner,
        String partition,
        Long endOffset,
        String drainSignal,
        AtomicLong nextOffset,
        Set<String> reachedEnd,
        Set<String> readPartitions,
        Optional<Instant> previousWatermark) {
      this.inner = inner;
      this.partition = partition;
      this.endOffset = endOffset;
      this.drainSignal = drainSignal;
      this.nextOffset = nextOffset;
      this.reachedEnd = reachedEnd;
      this.readPartitions = readPartitions;
      // A reader re-created from a checkpoint keeps an ended read ended.
      this.ended =
          previousWatermark.isPresent()
              && !previousWatermark.get().isBefore(BoundedWindow.TIMESTAMP_MAX_VALUE);
      this.reached = ended;
      if (ended && reachedEnd != null) {
        reachedEnd.add(partition);
      }
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
      nextOffset.accumulateAndGet(record.getOffset() + 1, Math::max);
      return inner.getTimestampForRecord(ctx, record);
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      Instant watermark = inner.getWatermark(ctx);
      if (!reached) {
        // The offsets read so far in this JVM decide. A partition that has delivered nothing here (empty,
        // or read from its end) ends once its backlog is known to be 0; the backlog alone would not do for
        // the others, as a reader learns the partition's latest offset only now and then.
        long next = nextOffset.get();
        boolean nothingToRead = next < 0 && ctx.getMessageBacklog() == 0;
        if (endOffset != null && (next >= endOffset || nothingToRead)) {
          reached = true;
        } else if (drainSignal != null) {
          Long drainAt = drainOffset();
          reached = drainAt != null && (next >= drainAt || nothingToRead);
        }
        if (reached && reachedEnd != null) {
          reachedEnd.add(partition);
        }
      }
      if (reached && !ended) {
        ended = reachedEnd == null || (readPartitions != null && reachedEnd.containsAll(readPartitions));
      }
      return ended ? BoundedWindow.TIMESTAMP_MAX_VALUE : watermark;
    }

    /** The offset to reach once a drain was asked for (0 for a partition the request does not name). */
    private Long drainOffset() {
      long now = System.currentTimeMillis();
      if (drainOffset == null && now >= nextDrainCheck) {
        nextDrainCheck = now + DRAIN_CHECK_MILLIS;
        Path signal = Paths.get(drainSignal);
        if (Files.exists(signal)) {
          Map<String, Long> offsets = readOffsets(signal);
          if (offsets != null) {
            drainOffset = offsets.getOrDefault(partition, 0L);
            if (readPartitions == null) {
              readPartitions = offsets.keySet();
            }
          }
        }
      }
      return drainOffset;
    }
  }
}
