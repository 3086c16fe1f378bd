package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * An order event: {@code {"type":"order","order_id","user_id","amount","status","created_at"}}.
 *
 * <p>Money is exact: {@code amountCents} is the amount in cents. Event time is {@code createdAtMillis}.
 */
@DefaultCoder(EventCoders.OrderCoder.class)
public final class Order implements Serializable {
  public enum Status {
    COMPLETED,
    PENDING,
    CANCELLED
  }

  private final String orderId;
  private final String userId;
  private final long amountCents;
  private final Status status;
  private final long createdAtMillis;

  public Order(String orderId, String userId, long amountCents, Status status, long createdAtMillis) {
    this.orderId = Objects.requireNonNull(orderId, "orderId");
    this.userId = Objects.requireNonNull(userId, "userId");
    this.amountCents = amountCents;
    this.status = Objects.requireNonNull(status, "status");
    this.createdAtMillis = createdAtMillis;
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

  public Status getStatus() {
    return status;
  }

  public long getCreatedAtMillis() {
    return createdAtMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Order)) {
      return false;
    }
    Order that = (Order) o;
    return amountCents == that.amountCents
        && createdAtMillis == that.createdAtMillis
        && orderId.equals(that.orderId)
        && userId.equals(that.userId)
        && status == that.status;
  }

  @Override
  public int hashCode() {
    return Objects.hash(orderId, userId, amountCents, status, createdAtMillis);
  }

  @Override
  public String toString() {
    return "Order{" + orderId + ", " + userId + ", " + Json.money(amountCents) + ", " + status + ", "
        + Json.instant(createdAtMillis) + "}";
  }
}
