package streams.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import streams.model.DeadLetter;
import streams.model.Order;
import streams.testing.Counters;

/**
 * {@link ParseEvents#keeping}: unread types are parsed and counted, malformed lines of any type are dead
 * letters.
 */
public class ParseEventsTest {
  private static final String ORDER =
      "{\"type\":\"order\",\"order_id\":\"o-1\",\"user_id\":\"u-1\",\"amount\":\"19.90\",\"status\":\"PENDING\","
          + "\"created_at\":\"2026-01-15T00:00:00.496Z\"}";
  private static final String PAYMENT =
      "{\"type\":\"payment\",\"payment_id\":\"p-1\",\"order_id\":\"o-1\",\"amount\":19.90,"
          + "\"paid_at\":\"2026-01-15T00:00:10Z\"}";
  private static final String TRANSACTION =
      "{\"type\":\"transaction\",\"tx_id\":\"t-1\",\"account_id\":\"a-1\",\"amount\":121.62,"
          + "\"created_at\":\"2026-01-15T02:00:00.060+02:00\"}";
  private static final String BAD_PAYMENT = "{\"type\":\"payment\",\"payment_id\":\"p-2\"}";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void keepsTheChosenTypesCountsTheOthersAndDeadLettersEveryMalformedLine() {
    PCollectionTuple events =
        pipeline
            .apply(Create.of(List.of(ORDER, PAYMENT, TRANSACTION, BAD_PAYMENT, "not json")))
            .apply(ParseEvents.jsonLines().keeping(ParseEvents.ORDERS));
    PAssert.that(
            events
                .get(ParseEvents.ORDERS)
                .apply("OrderIds", MapElements.into(TypeDescriptors.strings()).via(Order::orderId)))
        .containsInAnyOrder("o-1");
    PAssert.that(
            events
                .get(ParseEvents.DEAD_LETTERS)
                .apply("Raw", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::raw)))
        .containsInAnyOrder(BAD_PAYMENT, "not json");
    assertThrows(IllegalArgumentException.class, () -> events.get(ParseEvents.PAYMENTS));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(5, Counters.of(result, "events_in"));
    assertEquals(3, Counters.of(result, "events_parsed"));
    assertEquals(2, Counters.of(result, "dead_letters"));
    assertEquals(2, Counters.of(result, "events_not_read"));
  }

  @Test
  public void refusesWhatIsNotAnEventType() {
    assertThrows(
        IllegalArgumentException.class, () -> ParseEvents.jsonLines().keeping(ParseEvents.DEAD_LETTERS));
    assertThrows(IllegalArgumentException.class, () -> ParseEvents.jsonLines().keeping());
  }


  @Test
  public void anEventStampedEarlierThanItsOwnTimeIsADeadLetterWithBothTimes() {
    // The Kafka source stamps an event too far ahead of its partition with the partition's time.
    Instant partitionTime = Instant.parse("2026-01-15T00:00:10Z");
    String ahead = ORDER.replace("2026-01-15T00:00:00.496Z", "2026-01-15T02:00:10.000Z");
    PCollectionTuple events =
        pipeline
            .apply(
                Create.timestamped(
                    TimestampedValue.of(ahead, partitionTime),
                    TimestampedValue.of(PAYMENT, partitionTime)))
            .apply(ParseEvents.jsonLines());
    PAssert.that(events.get(ParseEvents.DEAD_LETTERS))
        .containsInAnyOrder(
            new DeadLetter(
                ahead,
                "event time 2026-01-15T02:00:10.000Z is PT7200S ahead of its partition's event time"
                    + " 2026-01-15T00:00:10.000Z, more than --maxEventTimeJump allows"));
    PAssert.that(events.get(ParseEvents.ORDERS)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, Counters.of(result, "dead_letters"));
    assertEquals(1, Counters.of(result, "events_parsed"));
  }

  @Test
  public void filesCarryTheMinimumTimestampAndAreNeverAhead() {
    assertEquals(null, ParseEvents.aheadOfSource(253_402_300_799_999L, BoundedWindow.TIMESTAMP_MIN_VALUE));
    assertEquals(null, ParseEvents.aheadOfSource(1_000L, new Instant(1_000L)));
  }
}
