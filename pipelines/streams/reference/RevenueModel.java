package streams.reference;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.UserRevenue;

/**
 * Reference model of {@code revenue} over a finite input: per user and tumbling window, count and exact
 * sum of every order. Plain Java, no Beam. With bounded input every (user, window) is one ON_TIME, final
 * pane. A total of 10^16 or more in absolute value is written saturated at ±9999999999999999.99.
 */
public final class RevenueModel {
  private RevenueModel() {}

  /** The largest total written, in cents: 9999999999999999.99, the bound of {@code DECIMAL(18,2)}. */
  private static final BigInteger BOUND = BigInteger.TEN.pow(18).subtract(BigInteger.ONE);

  public static List<String> expected(Iterable<String> lines, long windowMillis) {
    Map<String, Object[]> byUserWindow = new TreeMap<>();
    for (String line : lines) {
      Object event;
      try {
        event = EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        continue;
      }
      if (event instanceof Order) {
        Order o = (Order) event;
        long start = Math.floorDiv(o.createdAtMillis(), windowMillis) * windowMillis;
        Object[] acc =
            byUserWindow.computeIfAbsent(o.userId() + "\u0000" + start, k -> new Object[] {0L, BigInteger.ZERO});
        acc[0] = (Long) acc[0] + 1;
        acc[1] = ((BigInteger) acc[1]).add(BigInteger.valueOf(o.amountCents()));
      }
    }
    List<String> out = new ArrayList<>();
    byUserWindow.forEach(
        (key, acc) -> {
          String[] parts = key.split("\u0000");
          long start = Long.parseLong(parts[1]);
          BigInteger total = ((BigInteger) acc[1]).max(BOUND.negate()).min(BOUND);
          out.add(
              new UserRevenue(
                      parts[0], start, start + windowMillis, (Long) acc[0], total.longValueExact(), "ON_TIME", 0, true)
                  .toJson());
        });
    return out;
  }

  /** Lines the parser rejects: every pipeline must send exactly these to its dead-letter output. */
  public static long deadLetters(Iterable<String> lines) {
    long n = 0;
    for (String line : lines) {
      try {
        EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        n++;
      }
    }
    return n;
  }
}
