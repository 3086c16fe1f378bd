package streams.reference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import streams.model.EventParser;
import streams.model.FraudAlert;
import streams.model.Transaction;

/**
 * Reference model of {@code fraud} over a finite input (nothing is late): per account, transactions in
 * {@code (created_at, tx_id)} order; a burst opens when none is open or at or after {@code start +
 * window}; every transaction at position {@code >= threshold} of its burst is an alert.
 */
public final class FraudModel {
  private FraudModel() {}

  public static List<String> expected(Iterable<String> lines, int threshold, long windowMillis) {
    Map<String, List<Transaction>> byAccount = new TreeMap<>();
    for (String line : lines) {
      try {
        Object event = EventParser.parse(line);
        if (event instanceof Transaction) {
          Transaction tx = (Transaction) event;
          byAccount.computeIfAbsent(tx.accountId(), k -> new ArrayList<>()).add(tx);
        }
      } catch (EventParser.BadEventException e) {
        // dead letter: not an input of the model
      }
    }
    List<String> out = new ArrayList<>();
    for (List<Transaction> txs : byAccount.values()) {
      txs.sort(Comparator.comparingLong(Transaction::createdAtMillis).thenComparing(Transaction::txId));
      long start = 0;
      long count = 0;
      for (Transaction tx : txs) {
        if (count == 0 || tx.createdAtMillis() >= start + windowMillis) {
          start = tx.createdAtMillis();
          count = 0;
        }
        count++;
        if (count >= threshold) {
          out.add(new FraudAlert(tx.accountId(), tx.txId(), tx.createdAtMillis(), count, start).toJson());
        }
      }
    }
    return out;
  }

  /** The number of valid transactions among the lines. */
  public static long transactions(Iterable<String> lines) {
    long n = 0;
    for (String line : lines) {
      try {
        if (EventParser.parse(line) instanceof Transaction) {
          n++;
        }
      } catch (EventParser.BadEventException e) {
        // not a transaction
      }
    }
    return n;
  }
}
