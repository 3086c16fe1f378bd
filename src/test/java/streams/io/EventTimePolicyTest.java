package streams.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import streams.model.Json;

/**
 * The Kafka source's event time and watermark, with a hand-driven clock: bounded out-of-orderness per
 * partition, records that are not events, and idle partitions that follow the most advanced one instead of
 * holding the watermark back (and never run ahead of the data).
 */
class EventTimePolicyTest {
  private static final long T0 = Instant.parse("2026-01-15T10:00:00Z").getMillis();
  private static final Duration OUT_OF_ORDERNESS = Duration.standardSeconds(5);
  private static final Duration IDLE = Duration.standardSeconds(10);

  private long now = 1_000_000L;
  private final EventTimePolicy.Shared shared = new EventTimePolicy.Shared();

  private EventTimePolicy policy(int partition) {
    return new EventTimePolicy(
        OUT_OF_ORDERNESS, IDLE, Optional.empty(), shared, new TopicPartition("events", partition), () -> now);
  }

  private static PartitionContext backlog(long messages) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return messages;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return Instant.now();
      }
    };
  }

  private static KafkaRecord<byte[], byte[]> record(String value, long brokerTime) {
    return new KafkaRecord<>(
        "events", 0, 0, brokerTime, KafkaTimestampType.LOG_APPEND_TIME, null, null,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static String order(long createdAt) {
    return "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"amount\":1.00,\"status\":\"PENDING\","
        + "\"created_at\":\"" + Json.instant(createdAt) + "\"}";
  }

  private static String payment(long paidAtMillis) {
    return "{\"type\":\"payment\",\"payment_id\":\"p\",\"order_id\":\"o\",\"amount\":\"1.00\",\"paid_at\":"
        + paidAtMillis + "}";
  }

  @Test
  void elementTimestampIsTheEventTime() {
    EventTimePolicy p = policy(0);
    assertEquals(new Instant(T0 + 1234), p.getTimestampForRecord(backlog(5), record(order(T0 + 1234), 42L)));
    assertEquals(new Instant(T0 + 99), p.getTimestampForRecord(backlog(5), record(payment(T0 + 99), 42L)));
  }

  @Test
  void watermarkIsHighestEventTimeMinusOutOfOrderness() {
    EventTimePolicy p = policy(0);
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, p.getWatermark(backlog(5)));
    p.getTimestampForRecord(backlog(5), record(order(T0 + 10_000), 1L));
    p.getTimestampForRecord(backlog(5), record(order(T0 + 7_000), 1L)); // out of order: no step back
    assertEquals(new Instant(T0 + 5_000), p.getWatermark(backlog(5)));
    p.getTimestampForRecord(backlog(5), record(order(T0 + 20_000), 1L));
    assertEquals(new Instant(T0 + 15_000), p.getWatermark(backlog(5)));
  }

  @Test
  void aRecordThatIsNotAnEventKeepsTheBrokerTimeAndMovesNoWatermark() {
    EventTimePolicy p = policy(0);
    p.getTimestampForRecord(backlog(5), record(order(T0 + 10_000), 1L));
    long brokerTime = T0 + 3_600_000L;
    assertEquals(new Instant(brokerTime), p.getTimestampForRecord(backlog(5), record("{not json", brokerTime)));
    assertEquals(new Instant(brokerTime), p.getTimestampForRecord(backlog(5), record(null, brokerTime)));
    assertEquals(new Instant(T0 + 5_000), p.getWatermark(backlog(5)));
  }

  @Test
  void aCaughtUpPartitionIsNotIdleBeforeTheTimeout() {
    EventTimePolicy active = policy(0);
    EventTimePolicy quiet = policy(1);
    quiet.getTimestampForRecord(backlog(0), record(order(T0), 1L));
    active.getTimestampForRecord(backlog(9), record(order(T0 + 60_000), 1L));
    assertEquals(new Instant(T0 + 55_000), active.getWatermark(backlog(9)));
    now += IDLE.getMillis() - 1;
    assertEquals(new Instant(T0 - 5_000), quiet.getWatermark(backlog(0)), "still holds the minimum");
  }

  @Test
  void anIdlePartitionFollowsTheMostAdvancedActiveOne() {
    EventTimePolicy active = policy(0);
    EventTimePolicy quiet = policy(1);
    quiet.getTimestampForRecord(backlog(0), record(order(T0), 1L));
    active.getTimestampForRecord(backlog(9), record(order(T0 + 60_000), 1L));
    active.getWatermark(backlog(9));
    now += IDLE.getMillis();
    assertEquals(new Instant(T0 + 55_000), quiet.getWatermark(backlog(0)));
    // A partition with a backlog is never idle, however long ago its last record was.
    EventTimePolicy behind = policy(2);
    now += 60_000;
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, behind.getWatermark(backlog(3)));
  }

  @Test
  void aPartitionThatNeverReceivesARecordDoesNotHoldTheWatermarkForever() {
    EventTimePolicy active = policy(0);
    EventTimePolicy empty = policy(1);
    active.getTimestampForRecord(backlog(9), record(order(T0 + 60_000), 1L));
    active.getWatermark(backlog(9));
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, empty.getWatermark(backlog(0)));
    now += IDLE.getMillis();
    assertEquals(new Instant(T0 + 55_000), empty.getWatermark(backlog(0)));
  }

  @Test
  void whenEveryPartitionIsIdleTheWatermarkStaysWithTheData() {
    EventTimePolicy a = policy(0);
    EventTimePolicy b = policy(1);
    a.getTimestampForRecord(backlog(0), record(order(T0 + 30_000), 1L));
    b.getTimestampForRecord(backlog(0), record(order(T0 + 20_000), 1L));
    a.getWatermark(backlog(0));
    b.getWatermark(backlog(0));
    now += 3_600_000L; // an hour of silence: the wall clock does not move event time
    assertEquals(new Instant(T0 + 25_000), a.getWatermark(backlog(0)));
    assertEquals(new Instant(T0 + 25_000), b.getWatermark(backlog(0)));
  }

  @Test
  void idlenessIsMeasuredAcrossReaderRestarts() {
    EventTimePolicy first = policy(1);
    first.getTimestampForRecord(backlog(0), record(order(T0), 1L));
    EventTimePolicy active = policy(0);
    active.getTimestampForRecord(backlog(9), record(order(T0 + 60_000), 1L));
    active.getWatermark(backlog(9));
    now += IDLE.getMillis();
    // The runner re-creates the reader (from its checkpointed watermark): the partition is still idle.
    EventTimePolicy recreated =
        new EventTimePolicy(
            OUT_OF_ORDERNESS, IDLE, Optional.of(new Instant(T0 - 5_000)), shared, new TopicPartition("events", 1), () -> now);
    assertEquals(new Instant(T0 + 55_000), recreated.getWatermark(backlog(0)));
  }

  @Test
  void theWatermarkNeverGoesBack() {
    EventTimePolicy p =
        new EventTimePolicy(
            OUT_OF_ORDERNESS, IDLE, Optional.of(new Instant(T0 + 100_000)), shared, new TopicPartition("events", 0), () -> now);
    p.getTimestampForRecord(backlog(5), record(order(T0), 1L));
    assertEquals(new Instant(T0 + 100_000), p.getWatermark(backlog(5)));
  }

  // ---- far-future events (--maxEventTimeJump, default PT1H) ----

  private static final long HOUR = 3_600_000L;

  @Test
  void aFarFutureEventIsStampedWithThePartitionsTimeAndMovesNoWatermark() {
    EventTimePolicy p = policy(0);
    p.getTimestampForRecord(backlog(5), record(order(T0), 1L));
    long future = Instant.parse("2126-01-15T10:00:00Z").getMillis();
    assertEquals(new Instant(T0), p.getTimestampForRecord(backlog(5), record(order(future), 1L)));
    assertEquals(new Instant(T0 - 5_000), p.getWatermark(backlog(5)));
    // Events after it are on time, not late: the watermark stayed with the data.
    assertEquals(new Instant(T0 + 1_000), p.getTimestampForRecord(backlog(5), record(order(T0 + 1_000), 1L)));
    assertEquals(new Instant(T0 - 4_000), p.getWatermark(backlog(5)));
  }

  @Test
  void aJumpOfExactlyTheLimitIsAccepted() {
    EventTimePolicy p = policy(0);
    p.getTimestampForRecord(backlog(5), record(order(T0), 1L));
    assertEquals(new Instant(T0 + HOUR), p.getTimestampForRecord(backlog(5), record(order(T0 + HOUR), 1L)));
    assertEquals(new Instant(T0 + HOUR), p.getTimestampForRecord(backlog(5), record(order(T0 + 2 * HOUR + 1), 1L)));
    assertEquals(new Instant(T0 + HOUR - 5_000), p.getWatermark(backlog(5)));
  }

  @Test
  void theFirstEventOfAReadDefinesTheReference() {
    EventTimePolicy p = policy(0);
    long future = T0 + 1_000 * HOUR;
    assertEquals(new Instant(future), p.getTimestampForRecord(backlog(5), record(order(future), 1L)));
    // From then on, the rest of the read is judged against it; an event behind it is simply behind.
    assertEquals(new Instant(T0), p.getTimestampForRecord(backlog(5), record(order(T0), 1L)));
  }

  @Test
  void aQuietPartitionIsJudgedAgainstTheWholeRead() {
    EventTimePolicy quiet = policy(1);
    EventTimePolicy busy = policy(0);
    quiet.getTimestampForRecord(backlog(0), record(order(T0), 1L));
    for (int h = 0; h <= 3; h++) {
      busy.getTimestampForRecord(backlog(9), record(order(T0 + h * HOUR), 1L));
    }
    // Three hours after its own last event, but not ahead of the read: accepted. A partition's first event
    // is judged the same way, against the read.
    assertEquals(new Instant(T0 + 3 * HOUR + 10), quiet.getTimestampForRecord(backlog(0), record(order(T0 + 3 * HOUR + 10), 1L)));
  }

  @Test
  void anEventNotAheadOfTheWallClockIsNeverAFarFutureOne() {
    EventTimePolicy p = policy(0);
    p.getTimestampForRecord(backlog(5), record(order(T0), 1L));
    now = T0 + 5 * HOUR; // a quiet stream: the next event comes five hours later, in real time
    assertEquals(new Instant(T0 + 5 * HOUR), p.getTimestampForRecord(backlog(5), record(order(T0 + 5 * HOUR), 1L)));
    assertEquals(new Instant(T0 + 5 * HOUR), p.getTimestampForRecord(backlog(5), record(order(T0 + 6 * HOUR + 1), 1L)));
  }

  @Test
  void afterARestoreTheCheckpointedWatermarkIsTheReference() {
    EventTimePolicy restored =
        new EventTimePolicy(
            OUT_OF_ORDERNESS, IDLE, Duration.standardMinutes(10), Optional.of(new Instant(T0)), shared,
            new TopicPartition("events", 0), () -> now);
    long ahead = T0 + 5_000 + 10 * 60_000L + 1;
    assertEquals(new Instant(T0 + 5_000), restored.getTimestampForRecord(backlog(5), record(order(ahead), 1L)));
    assertEquals(new Instant(ahead - 1), restored.getTimestampForRecord(backlog(5), record(order(ahead - 1), 1L)));
  }
}
