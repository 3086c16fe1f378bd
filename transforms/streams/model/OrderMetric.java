package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A completed order as an order metric: {@code {"order_id","user_id","amount","created_at"}} (the
 * reference document's filter + map). Money in cents, {@code created_at} in epoch milliseconds.
 */
@DefaultCoder(ResultCoders.OrderMetricCoder.class)
public final class OrderMetric implements Serializable {
  private final String orderId;
  private final String userId;
  private final long amountCents;
  private final long createdAtMillis;

  public OrderMetric(String orderId, String userId, long amountCents, long createdAtMillis) {
    this.orderId = Objects.requireNonNull(orderId, "orderId");
    this.userId = Objects.requireNonNull(userId, "userId");
    this.amountCents = amountCents;
    this.createdAtMillis = createdAtMillis;
  }

  public static OrderMetric of(Order order) {
    return new OrderMetric(
        order.getOrderId(), order.getUserId(), order.getAmountCents(), order.getCreatedAtMillis());
  }

  public String getOrderId() {
    return orderId;
  }

  public String getUserId() {
    return userId;
  }

  public long getAmountCents() {
    return amountCents;
  }

  public long getCreatedAtMillis() {
    return createdAtMillis;
  }

  public String toJson() {
    return Json.object()
        .put("order_id", orderId)
        .put("user_id", userId)
        .put("amount", Json.money(amountCents))
        .put("created_at", Json.instant(createdAtMillis))
        .toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OrderMetric)) {
      return false;
    }
    OrderMetric that = (OrderMetric) o;
    return amountCents == that.amountCents
        && createdAtMillis == that.createdAtMillis
        && orderId.equals(that.orderId)
        && userId.equals(that.userId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(orderId, userId, amountCents, createdAtMillis);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
