package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * A completed order as an order metric: {@code {"order_id","user_id","amount","created_at"}} (the
 * reference document's filter + map), keyed by {@code order_id}.
 */
@DefaultCoder(RecordCoder.class)
public record OrderMetric(
    @Field(value = "order_id", key = true) String orderId,
    @Field("user_id") String userId,
    @Field(value = "amount", kind = Kind.MONEY) long amountCents,
    @Field(value = "created_at", kind = Kind.TIMESTAMP) long createdAtMillis)
    implements Serializable {
  public static final RecordType<OrderMetric> TYPE = RecordType.of(OrderMetric.class);

  public OrderMetric {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(userId, "userId");
  }

  public static OrderMetric of(Order order) {
    return new OrderMetric(order.orderId(), order.userId(), order.amountCents(), order.createdAtMillis());
  }

  public String toJson() {
    return TYPE.toJson(this);
  }
}
