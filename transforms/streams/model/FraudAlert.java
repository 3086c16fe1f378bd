package streams.model;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A transaction that is the threshold-th or later of its account's burst: {@code
 * {"account_id","tx_id","created_at","count","burst_start"}}, where {@code count} is its position in the
 * burst (1-based) and {@code burst_start} the time of the burst's first transaction.
 */
@DefaultCoder(ResultCoders.FraudAlertCoder.class)
public final class FraudAlert implements Serializable {
  private final String accountId;
  private final String txId;
  private final long createdAtMillis;
  private final long count;
  private final long burstStartMillis;

  public FraudAlert(String accountId, String txId, long createdAtMillis, long count, long burstStartMillis) {
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.txId = Objects.requireNonNull(txId, "txId");
    this.createdAtMillis = createdAtMillis;
    this.count = count;
    this.burstStartMillis = burstStartMillis;
  }

  public String getAccountId() {
    return accountId;
  }

  public String getTxId() {
    return txId;
  }

  public long getCreatedAtMillis() {
    return createdAtMillis;
  }

  public long getCount() {
    return count;
  }

  public long getBurstStartMillis() {
    return burstStartMillis;
  }

  public String toJson() {
    return Json.object()
        .put("account_id", accountId)
        .put("tx_id", txId)
        .put("created_at", Json.instant(createdAtMillis))
        .put("count", count)
        .put("burst_start", Json.instant(burstStartMillis))
        .toString();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FraudAlert)) {
      return false;
    }
    FraudAlert that = (FraudAlert) o;
    return createdAtMillis == that.createdAtMillis
        && count == that.count
        && burstStartMillis == that.burstStartMillis
        && accountId.equals(that.accountId)
        && txId.equals(that.txId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accountId, txId, createdAtMillis, count, burstStartMillis);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
