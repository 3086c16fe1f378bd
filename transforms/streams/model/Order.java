package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * An order event: {@code {"type":"order","order_id","user_id","amount","status","created_at"}}.
 *
 * <p>Money is exact: {@code amountCents} is the amount in cents. Event time is {@code createdAtMillis}.
 */
@EventType("order")
@DefaultCoder(RecordCoder.class)
public record Order(
    @Field(value = "order_id", key = true) String orderId,
    @Field("user_id") String userId,
    @Field(value = "amount", kind = Kind.MONEY) long amountCents,
    @Field("status") Status status,
    @Field(value = "created_at", kind = Kind.TIMESTAMP) long createdAtMillis)
    implements Serializable {
  public static final RecordType<Order> TYPE = RecordType.of(Order.class);

  public enum Status {
    COMPLETED,
    PENDING,
    CANCELLED
  }

  public Order {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(status, "status");
  }
}
