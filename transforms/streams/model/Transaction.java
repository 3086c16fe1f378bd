package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import streams.model.RecordType.Kind;

/**
 * A card transaction: {@code {"type":"transaction","tx_id","account_id","amount","created_at"}}. Event time
 * is {@code createdAtMillis}; money in cents.
 */
@EventType("transaction")
@DefaultCoder(RecordCoder.class)
public record Transaction(
    @Field(value = "tx_id", key = true) String txId,
    @Field("account_id") String accountId,
    @Field(value = "amount", kind = Kind.MONEY) long amountCents,
    @Field(value = "created_at", kind = Kind.TIMESTAMP) long createdAtMillis)
    implements Serializable {
  public static final RecordType<Transaction> TYPE = RecordType.of(Transaction.class);

  public Transaction {
    Objects.requireNonNull(txId, "txId");
    Objects.requireNonNull(accountId, "accountId");
  }
}
