package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * A transaction that is the threshold-th or later of its account's burst: {@code
 * {"account_id","tx_id","created_at","count","burst_start"}}, where {@code count} is its position in the
 * burst (1-based) and {@code burst_start} the time of the burst's first transaction. Keyed by {@code tx_id}.
 */
@DefaultCoder(RecordCoder.class)
public record FraudAlert(
    @Field("account_id") String accountId,
    @Field(value = "tx_id", key = true) String txId,
    @Field(value = "created_at", kind = Kind.TIMESTAMP) long createdAtMillis,
    @Field("count") long count,
    @Field(value = "burst_start", kind = Kind.TIMESTAMP) long burstStartMillis)
    implements Serializable {
  public static final RecordType<FraudAlert> TYPE = RecordType.of(FraudAlert.class);

  public FraudAlert {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(txId, "txId");
  }

  public String toJson() {
    return TYPE.toJson(this);
  }
}
