package streams.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;

/**
 * A finite list of event lines replayed as a TestStream with a known disorder: each line arrives at its
 * event time plus up to 2 s, and a fraction of lines a further 10 to 90 s late. After every 20 arrivals
 * the watermark advances to the latest arrival time minus 3 s, so the delayed lines arrive behind the
 * watermark. {@link #notLaterThan} says which lines a pipeline with a given allowed lateness must accept.
 */
public final class DisorderedStream {
  private static final int BATCH = 20;
  private static final long WATERMARK_LAG_MILLIS = 3_000;

  private final List<Arrival> arrivals = new ArrayList<>();

  private static final class Arrival {
    final String line;
    final long eventTime;
    final long arrivalTime;
    long watermarkAtArrival;

    Arrival(String line, long eventTime, long arrivalTime) {
      this.line = line;
      this.eventTime = eventTime;
      this.arrivalTime = arrivalTime;
    }
  }

  public DisorderedStream(List<String> lines, long seed, double lateFraction) {
    SplittableRandom random = new SplittableRandom(seed);
    long lastEventTime = Long.MIN_VALUE;
    for (String line : lines) {
      Long t = eventTime(line);
      // A malformed line arrives with the previous event's time: never late, always a dead letter.
      long eventTime = t != null ? t : Math.max(lastEventTime, 0);
      lastEventTime = Math.max(lastEventTime, eventTime);
      long delay = random.nextLong(2_001);
      if (random.nextDouble() < lateFraction) {
        delay += 10_000 + random.nextLong(80_001);
      }
      arrivals.add(new Arrival(line, eventTime, eventTime + delay));
    }
    arrivals.sort(Comparator.comparingLong(a -> a.arrivalTime));
  }

  /** The lines as a TestStream: batches of arrivals, each followed by a watermark advance. */
  public TestStream<String> testStream() {
    TestStream.Builder<String> builder = TestStream.create(StringUtf8Coder.of());
    long watermark = Long.MIN_VALUE;
    long latestArrival = Long.MIN_VALUE;
    for (int i = 0; i < arrivals.size(); i += BATCH) {
      List<TimestampedValue<String>> batch = new ArrayList<>();
      for (Arrival a : arrivals.subList(i, Math.min(arrivals.size(), i + BATCH))) {
        a.watermarkAtArrival = watermark;
        batch.add(TimestampedValue.of(a.line, new Instant(a.eventTime)));
        latestArrival = Math.max(latestArrival, a.arrivalTime);
      }
      @SuppressWarnings("unchecked")
      TimestampedValue<String>[] elements = batch.toArray(new TimestampedValue[0]);
      builder = builder.addElements(elements[0], java.util.Arrays.copyOfRange(elements, 1, elements.length));
      if (latestArrival - WATERMARK_LAG_MILLIS > watermark) {
        watermark = latestArrival - WATERMARK_LAG_MILLIS;
        builder = builder.advanceWatermarkTo(new Instant(watermark));
      }
    }
    return builder.advanceWatermarkToInfinity();
  }

  /** The lines that arrive at most {@code latenessMillis} behind the watermark (call after testStream). */
  public List<String> notLaterThan(long latenessMillis) {
    List<String> out = new ArrayList<>();
    for (Arrival a : arrivals) {
      if (a.watermarkAtArrival == Long.MIN_VALUE || a.eventTime + latenessMillis >= a.watermarkAtArrival) {
        out.add(a.line);
      }
    }
    return out;
  }

  private static Long eventTime(String line) {
    try {
      Object e = EventParser.parse(line);
      if (e instanceof Order) {
        return ((Order) e).createdAtMillis();
      }
      if (e instanceof Payment) {
        return ((Payment) e).paidAtMillis();
      }
      return ((Transaction) e).createdAtMillis();
    } catch (EventParser.BadEventException e) {
      return null;
    }
  }
}
