package streams.io;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import streams.model.EventParser;

/**
 * Event time and watermark of the Kafka source: bounded out-of-orderness per partition, with idle
 * partitions that stop holding the watermark back (the reference document's {@code
 * forBoundedOutOfOrderness(5 s)} plus {@code withIdleness}).
 *
 * <ul>
 *   <li>Element timestamp: the event's own time ({@code created_at} / {@code paid_at}, parsed by {@link
 *       EventParser}, so it equals the timestamp {@code ParseEvents} gives the event). A record that does not
 *       parse keeps the Kafka record's timestamp and does not move the watermark; it still reaches the
 *       dead-letter output.
 *   <li>Watermark of a partition: the highest event time read from it minus {@code maxOutOfOrderness},
 *       never decreasing. Before its first event a partition's watermark is the start of time (or the
 *       checkpointed one).
 *   <li>Far-future events: an event more than {@code maxEventTimeJump} ahead of its partition's event time
 *       and also more than {@code maxEventTimeJump} ahead of the wall clock is not taken as the partition's
 *       time. It is stamped with the partition's event time instead of its own, moves no watermark, and
 *       {@code ParseEvents} makes it a dead letter with both times ({@code ParseEvents#aheadOfSource}).
 *       The partition's event time is the highest event time accepted from it, from any partition of the
 *       same read (so a partition that was quiet catches up with the others), or, after a restore, the
 *       checkpointed watermark plus {@code maxOutOfOrderness}. The first event of a read has no reference
 *       and defines it. The wall clock keeps a stream that stops for longer than the jump (a quiet night)
 *       from rejecting everything after the gap: an event not ahead of the wall clock is never judged a
 *       far-future one, even in a replay of old data.
 *   <li>Idle: a partition that has been read to its end (backlog 0) and has delivered no record for {@code
 *       idleTimeout} of processing time is idle. An idle partition follows the highest watermark reached by
 *       an active partition of the same read, so it no longer holds the minimum back (as idleness in
 *       engines' native watermark strategies excludes an idle split). When every partition is idle the watermark stays where the data put it: it
 *       never runs ahead of the event times read, whatever the wall clock says.
 * </ul>
 *
 * <p>Why not Beam's {@code CustomTimestampPolicyWithLimitedDelay}: it assumes event time close to the wall
 * clock. An idle partition (backlog 0 and newest event older than {@code now - maxDelay}) jumps to {@code
 * now - maxDelay} at once, with no idle timeout, so replaying older events (our generated data, a backfill,
 * a consumer catching up at a low rate) turns everything read next into late data; event times ahead of the
 * wall clock cap the watermark at {@code now - maxDelay}; and a partition that never receives a record
 * holds the watermark at the start of time for good.
 *
 * <p>"The same read" is the set of partitions read in one JVM under one factory instance (every local
 * runner; on a cluster, one worker). A worker whose partitions are all idle keeps its watermark.
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  /** Per read (key: the factory's id), what its partitions share in this JVM. */
  private static final Map<String, Shared> READS = new ConcurrentHashMap<>();

  /**
   * The highest watermark reached by an active partition, and when each partition last delivered a record.
   * The latter outlives a reader: runners re-create readers from checkpoints (some runners now and
   * then, micro-batch runners at nearly every batch), and idleness must be measured across them. Event times are
   * not shared that way: after a restore from a checkpoint the watermark must restart from the checkpoint.
   */
  static final class Shared {
    final AtomicLong highestActive = new AtomicLong(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    /** The highest event time accepted from any partition: the reference of the far-future check. */
    final AtomicLong highestEventTime = new AtomicLong(Long.MIN_VALUE);
    final Map<TopicPartition, AtomicLong> lastActivity = new ConcurrentHashMap<>();

    AtomicLong lastActivity(TopicPartition tp, long now) {
      return lastActivity.computeIfAbsent(tp, k -> new AtomicLong(now));
    }
  }

  /** The default of {@code --maxEventTimeJump}. */
  public static final Duration DEFAULT_MAX_EVENT_TIME_JUMP = Duration.standardHours(1);

  private final long maxOutOfOrdernessMillis;
  private final long idleTimeoutMillis;
  private final long maxJumpMillis;
  private final long restoredEventTime;
  private final AtomicLong highestEventTime;
  private final AtomicLong highestActive;
  private final AtomicLong lastActivity;
  private final LongSupplier clock;
  private long maxEventTime;
  private long watermark;

  EventTimePolicy(
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      Optional<Instant> previousWatermark,
      Shared shared,
      TopicPartition partition,
      LongSupplier clock) {
    this(maxOutOfOrderness, idleTimeout, DEFAULT_MAX_EVENT_TIME_JUMP, previousWatermark, shared, partition, clock);
  }

  EventTimePolicy(
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      Duration maxEventTimeJump,
      Optional<Instant> previousWatermark,
      Shared shared,
      TopicPartition partition,
      LongSupplier clock) {
    this.maxOutOfOrdernessMillis = maxOutOfOrderness.getMillis();
    this.idleTimeoutMillis = idleTimeout.getMillis();
    this.maxJumpMillis = maxEventTimeJump.getMillis();
    this.restoredEventTime =
        previousWatermark.isPresent() && previousWatermark.get().isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)
            ? previousWatermark.get().getMillis() + maxOutOfOrdernessMillis
            : Long.MIN_VALUE;
    this.highestEventTime = shared.highestEventTime;
    this.highestActive = shared.highestActive;
    this.lastActivity = shared.lastActivity(partition, clock.getAsLong());
    this.clock = clock;
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE).getMillis();
    this.maxEventTime = Long.MIN_VALUE;
  }

  /** The factory for {@code KafkaIO.read().withTimestampPolicyFactory(...)}, with the default jump. */
  public static TimestampPolicyFactory<byte[], byte[]> factory(Duration maxOutOfOrderness, Duration idleTimeout) {
    return factory(maxOutOfOrderness, idleTimeout, DEFAULT_MAX_EVENT_TIME_JUMP);
  }

  /** The factory for {@code KafkaIO.read().withTimestampPolicyFactory(...)}. */
  public static TimestampPolicyFactory<byte[], byte[]> factory(
      Duration maxOutOfOrderness, Duration idleTimeout, Duration maxEventTimeJump) {
    return new Factory(maxOutOfOrderness, idleTimeout, maxEventTimeJump, UUID.randomUUID().toString());
  }

  private static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {
    private final Duration maxOutOfOrderness;
    private final Duration idleTimeout;
    private final Duration maxEventTimeJump;
    private final String readId;

    Factory(Duration maxOutOfOrderness, Duration idleTimeout, Duration maxEventTimeJump, String readId) {
      this.maxOutOfOrderness = maxOutOfOrderness;
      this.idleTimeout = idleTimeout;
      this.maxEventTimeJump = maxEventTimeJump;
      this.readId = readId;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(
          maxOutOfOrderness,
          idleTimeout,
          maxEventTimeJump,
          previousWatermark,
          READS.computeIfAbsent(readId, k -> new Shared()),
          tp,
          System::currentTimeMillis);
    }
  }

  /** The event time of a record's value, or null when the value is not a valid event. */
  static Long eventTime(byte[] value) {
    if (value == null) {
      return null;
    }
    Object event;
    try {
      event = EventParser.parse(new String(value, StandardCharsets.UTF_8));
    } catch (EventParser.BadEventException e) {
      return null;
    }
    return EventParser.eventTimeMillis(event);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    long now = clock.getAsLong();
    lastActivity.set(now);
    Long t = eventTime(record.getKV().getValue());
    if (t == null || !inBeamRange(t)) {
      // Not an event: it goes to the dead letters stamped with the broker's time and moves no watermark.
      long recordTime = record.getTimestamp();
      return new Instant(inBeamRange(recordTime) && recordTime >= 0 ? recordTime : now);
    }
    long reference = Math.max(Math.max(maxEventTime, highestEventTime.get()), restoredEventTime);
    if (reference != Long.MIN_VALUE && t - reference > maxJumpMillis && t - now > maxJumpMillis) {
      // Far ahead of the partition and of the clock: stamped with the partition's time, it moves nothing
      // and ParseEvents sees the difference and dead-letters it.
      return new Instant(reference);
    }
    maxEventTime = Math.max(maxEventTime, t);
    highestEventTime.accumulateAndGet(t, Math::max);
    return new Instant(t);
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    long now = clock.getAsLong();
    if (maxEventTime != Long.MIN_VALUE) {
      watermark = Math.max(watermark, maxEventTime - maxOutOfOrdernessMillis);
    }
    boolean idle = ctx.getMessageBacklog() == 0 && now - lastActivity.get() >= idleTimeoutMillis;
    if (idle) {
      watermark = Math.max(watermark, highestActive.get());
    } else {
      highestActive.accumulateAndGet(watermark, Math::max);
    }
    return new Instant(watermark);
  }

  private static boolean inBeamRange(long millis) {
    return millis > BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()
        && millis < BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis();
  }
}
