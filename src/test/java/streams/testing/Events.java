package streams.testing;

import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import streams.model.Json;

/** Shared fixtures: a base instant and factories of JSON event lines stamped with their event time. */
public final class Events {
  /** 2026-01-15T10:00:00Z, the start of an hourly window. */
  public static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

  private Events() {}

  public static Instant at(Duration offset) {
    return T0.plus(offset);
  }

  public static Duration sec(long s) {
    return Duration.standardSeconds(s);
  }

  public static Duration min(long m) {
    return Duration.standardMinutes(m);
  }

  public static TimestampedValue<String> order(String orderId, String userId, String amount, Duration at) {
    return order(orderId, userId, amount, "COMPLETED", at);
  }

  public static TimestampedValue<String> order(
      String orderId, String userId, String amount, String status, Duration at) {
    Instant t = at(at);
    return TimestampedValue.of(
        "{\"type\":\"order\",\"order_id\":\"" + orderId + "\",\"user_id\":\"" + userId + "\",\"amount\":"
            + amount + ",\"status\":\"" + status + "\",\"created_at\":\"" + Json.instant(t.getMillis()) + "\"}",
        t);
  }

  public static TimestampedValue<String> payment(String paymentId, String orderId, String amount, Duration at) {
    Instant t = at(at);
    return TimestampedValue.of(
        "{\"type\":\"payment\",\"payment_id\":\"" + paymentId + "\",\"order_id\":\"" + orderId
            + "\",\"amount\":" + amount + ",\"paid_at\":\"" + Json.instant(t.getMillis()) + "\"}",
        t);
  }

  public static TimestampedValue<String> transaction(String txId, String accountId, String amount, Duration at) {
    Instant t = at(at);
    return TimestampedValue.of(
        "{\"type\":\"transaction\",\"tx_id\":\"" + txId + "\",\"account_id\":\"" + accountId
            + "\",\"amount\":" + amount + ",\"created_at\":\"" + Json.instant(t.getMillis()) + "\"}",
        t);
  }
}
