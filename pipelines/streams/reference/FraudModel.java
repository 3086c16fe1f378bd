package streams.reference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import streams.reference.ModelEvents.Transaction;

/**
 * Reference model of {@code fraud} over a finite input (nothing is late): per account, transactions in
 * {@code (created_at, tx_id)} order; a burst opens when none is open or at or after {@code start +
 * window}; every transaction at position {@code >= threshold} of its burst is an alert, {@code
 * {"account_id","tx_id","created_at","count","burst_start"}}. Reads and writes with its own code.
 */
public final class FraudModel {
  private FraudModel() {}

  public static List<String> expected(Iterable<String> lines, int threshold, long windowMillis) {
    Map<String, List<Transaction>> byAccount = new TreeMap<>();
    for (String line : lines) {
      if (ModelEvents.read(line) instanceof Transaction tx) {
        byAccount.computeIfAbsent(tx.accountId(), k -> new ArrayList<>()).add(tx);
      }
    }
    List<String> out = new ArrayList<>();
    for (List<Transaction> txs : byAccount.values()) {
      txs.sort(Comparator.comparingLong(Transaction::createdAt).thenComparing(Transaction::txId));
      long start = 0;
      long count = 0;
      for (Transaction tx : txs) {
        if (count == 0 || tx.createdAt() >= start + windowMillis) {
          start = tx.createdAt();
          count = 0;
        }
        count++;
        if (count >= threshold) {
          out.add(
              ModelJson.line(
                  "account_id", tx.accountId(),
                  "tx_id", tx.txId(),
                  "created_at", ModelJson.instant(tx.createdAt()),
                  "count", count,
                  "burst_start", ModelJson.instant(start)));
        }
      }
    }
    return out;
  }

  /** The number of valid transactions among the lines. */
  public static long transactions(Iterable<String> lines) {
    long n = 0;
    for (String line : lines) {
      if (ModelEvents.read(line) instanceof Transaction) {
        n++;
      }
    }
    return n;
  }
}
