package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * A payment event: {@code {"type":"payment","payment_id","order_id","amount","paid_at"}}. Event time is
 * {@code paidAtMillis}; money in cents.
 */
@EventType("payment")
@DefaultCoder(RecordCoder.class)
public record Payment(
    @Field(value = "payment_id", key = true) String paymentId,
    @Field("order_id") String orderId,
    @Field(value = "amount", kind = Kind.MONEY) long amountCents,
    @Field(value = "paid_at", kind = Kind.TIMESTAMP) long paidAtMillis)
    implements Serializable {
  public static final RecordType<Payment> TYPE = RecordType.of(Payment.class);

  public Payment {
    Objects.requireNonNull(paymentId, "paymentId");
    Objects.requireNonNull(orderId, "orderId");
  }
}
