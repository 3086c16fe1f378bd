package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * An order joined with one of its payments: {@code {"order_id","payment_id","user_id","order_amount",
 * "payment_amount","created_at","paid_at"}}, keyed by order and payment.
 */
@DefaultCoder(RecordCoder.class)
public record OrderPayment(
    @Field(value = "order_id", key = true) String orderId,
    @Field(value = "payment_id", key = true) String paymentId,
    @Field("user_id") String userId,
    @Field(value = "order_amount", kind = Kind.MONEY) long orderAmountCents,
    @Field(value = "payment_amount", kind = Kind.MONEY) long paymentAmountCents,
    @Field(value = "created_at", kind = Kind.TIMESTAMP) long createdAtMillis,
    @Field(value = "paid_at", kind = Kind.TIMESTAMP) long paidAtMillis)
    implements Serializable {
  public static final RecordType<OrderPayment> TYPE = RecordType.of(OrderPayment.class);

  public OrderPayment {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(paymentId, "paymentId");
    Objects.requireNonNull(userId, "userId");
  }

  public static OrderPayment of(Order order, Payment payment) {
    return new OrderPayment(
        order.orderId(),
        payment.paymentId(),
        order.userId(),
        order.amountCents(),
        payment.amountCents(),
        order.createdAtMillis(),
        payment.paidAtMillis());
  }

  public String toJson() {
    return TYPE.toJson(this);
  }
}
