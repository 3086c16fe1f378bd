package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * An order joined with one of its payments: {@code {"order_id","payment_id","user_id","order_amount",
 * "payment_amount","created_at","paid_at"}}. Money in cents, instants in epoch milliseconds.
 */
@DefaultCoder(ResultCoders.OrderPaymentCoder.class)
public final class OrderPayment implements Serializable {
  private final String orderId;
  private final String paymentId;
  private final String userId;
  private final long orderAmountCents;
  private final long paymentAmountCents;
  private final long createdAtMillis;
  private final long paidAtMillis;

  public OrderPayment(
      String orderId,
      String paymentId,
      String userId,
      long orderAmountCents,
      long paymentAmountCents,
      long createdAtMillis,
      long paidAtMillis) {
    this.orderId = Objects.requireNonNull(orderId, "orderId");
    this.paymentId = Objects.requireNonNull(paymentId, "paymentId");
    this.userId = Objects.requireNonNull(userId, "userId");
    this.orderAmountCents = orderAmountCents;
    this.paymentAmountCents = paymentAmountCents;
    this.createdAtMillis = createdAtMillis;
    this.paidAtMillis = paidAtMillis;
  }

  public static OrderPayment of(Order order, Payment payment) {
    return new OrderPayment(
        order.getOrderId(),
        payment.getPaymentId(),
        order.getUserId(),
        order.getAmountCents(),
        payment.getAmountCents(),
        order.getCreatedAtMillis(),
        payment.getPaidAtMillis());
  }

  public String getOrderId() {
    return orderId;
  }

  public String getPaymentId() {
    return paymentId;
  }

  public String getUserId() {
    return userId;
  }

  public long getOrderAmountCents() {
    return orderAmountCents;
  }

  public long getPaymentAmountCents() {
    return paymentAmountCents;
  }

  public long getCreatedAtMillis() {
    return createdAtMillis;
  }

  public long getPaidAtMillis() {
    return paidAtMillis;
  }

  public String toJson() {
    return Json.object()
        .put("order_id", orderId)
        .put("payment_id", paymentId)
        .put("user_id", userId)
        .put("order_amount", Json.money(orderAmountCents))
        .put("payment_amount", Json.money(paymentAmountCents))
        .put("created_at", Json.instant(createdAtMillis))
        .put("paid_at", Json.instant(paidAtMillis))
        .toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OrderPayment)) {
      return false;
    }
    OrderPayment that = (OrderPayment) o;
    return orderAmountCents == that.orderAmountCents
        && paymentAmountCents == that.paymentAmountCents
        && createdAtMillis == that.createdAtMillis
        && paidAtMillis == that.paidAtMillis
        && orderId.equals(that.orderId)
        && paymentId.equals(that.paymentId)
        && userId.equals(that.userId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        orderId, paymentId, userId, orderAmountCents, paymentAmountCents, createdAtMillis, paidAtMillis);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
