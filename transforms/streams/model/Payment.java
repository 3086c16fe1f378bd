package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A payment event: {@code {"type":"payment","payment_id","order_id","amount","paid_at"}}. Event time is
 * {@code paidAtMillis}; money in cents.
 */
@DefaultCoder(EventCoders.PaymentCoder.class)
public final class Payment implements Serializable {
  private final String paymentId;
  private final String orderId;
  private final long amountCents;
  private final long paidAtMillis;

  public Payment(String paymentId, String orderId, long amountCents, long paidAtMillis) {
    this.paymentId = Objects.requireNonNull(paymentId, "paymentId");
    this.orderId = Objects.requireNonNull(orderId, "orderId");
    this.amountCents = amountCents;
    this.paidAtMillis = paidAtMillis;
  }

  public String getPaymentId() {
    return paymentId;
  }

  public String getOrderId() {
    return orderId;
  }

  public long getAmountCents() {
    return amountCents;
  }

  public long getPaidAtMillis() {
    return paidAtMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Payment)) {
      return false;
    }
    Payment that = (Payment) o;
    return amountCents == that.amountCents
        && paidAtMillis == that.paidAtMillis
        && paymentId.equals(that.paymentId)
        && orderId.equals(that.orderId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(paymentId, orderId, amountCents, paidAtMillis);
  }

  @Override
  public String toString() {
    return "Payment{" + paymentId + ", " + orderId + ", " + Json.money(amountCents) + ", "
        + Json.instant(paidAtMillis) + "}";
  }
}
