package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * One pane of the per-user revenue of a window: {@code {"user_id","window_start","window_end",
 * "order_count","total_amount","timing","pane_index","is_final"}}, keyed by user and window start (every
 * pane of a window has the same key).
 */
@DefaultCoder(RecordCoder.class)
public record UserRevenue(
    @Field(value = "user_id", key = true) String userId,
    @Field(value = "window_start", kind = Kind.TIMESTAMP, key = true) long windowStartMillis,
    @Field(value = "window_end", kind = Kind.TIMESTAMP) long windowEndMillis,
    @Field("order_count") long orderCount,
    @Field(value = "total_amount", kind = Kind.MONEY) long totalCents,
    @Field("timing") String timing,
    @Field("pane_index") long paneIndex,
    @Field("is_final") boolean isFinal)
    implements Serializable {
  public static final RecordType<UserRevenue> TYPE = RecordType.of(UserRevenue.class);

  public UserRevenue {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(timing, "timing");
  }

  public String toJson() {
    return TYPE.toJson(this);
  }
}
