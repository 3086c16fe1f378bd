package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A card transaction: {@code {"type":"transaction","tx_id","account_id","amount","created_at"}}. Event time
 * is {@code createdAtMillis}; money in cents.
 */
@DefaultCoder(EventCoders.TransactionCoder.class)
public final class Transaction implements Serializable {
  private final String txId;
  private final String accountId;
  private final long amountCents;
  private final long createdAtMillis;

  public Transaction(String txId, String accountId, long amountCents, long createdAtMillis) {
    this.txId = Objects.requireNonNull(txId, "txId");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.amountCents = amountCents;
    this.createdAtMillis = createdAtMillis;
  }

  public String getTxId() {
    return txId;
  }

  public String getAccountId() {
    return accountId;
  }

  public long getAmountCents() {
    return amountCents;
  }

  public long getCreatedAtMillis() {
    return createdAtMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Transaction)) {
      return false;
    }
    Transaction that = (Transaction) o;
    return amountCents == that.amountCents
        && createdAtMillis == that.createdAtMillis
        && txId.equals(that.txId)
        && accountId.equals(that.accountId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(txId, accountId, amountCents, createdAtMillis);
  }

  @Override
  public String toString() {
    return "Transaction{" + txId + ", " + accountId + ", " + Json.money(amountCents) + ", "
        + Json.instant(createdAtMillis) + "}";
  }
}
