package streams.reference;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reference model of {@code revenue} over a finite input: per user and tumbling window, count and exact
 * sum of every order. Plain Java, no Beam, its own reading and writing. With bounded input every (user,
 * window) is one ON_TIME, final pane: {@code {"user_id","window_start","window_end","order_count",
 * "total_amount","timing":"ON_TIME","pane_index":0,"is_final":true}}. A total of 10^16 or more in absolute
 * value is written saturated at ±9999999999999999.99.
 */
public final class RevenueModel {
  private RevenueModel() {}

  /** The largest total written, in cents: 9999999999999999.99, the bound of {@code DECIMAL(18,2)}. */
  private static final BigInteger BOUND = BigInteger.TEN.pow(18).subtract(BigInteger.ONE);

  public static List<String> expected(Iterable<String> lines, long windowMillis) {
    Map<String, Object[]> byUserWindow = new TreeMap<>();
    for (String line : lines) {
      if (ModelEvents.read(line) instanceof ModelEvents.Order o) {
        long start = Math.floorDiv(o.createdAt(), windowMillis) * windowMillis;
        Object[] acc =
            byUserWindow.computeIfAbsent(o.userId() + "\u0000" + start, k -> new Object[] {0L, BigInteger.ZERO});
        acc[0] = (Long) acc[0] + 1;
        acc[1] = ((BigInteger) acc[1]).add(BigInteger.valueOf(o.cents()));
      }
    }
    List<String> out = new ArrayList<>();
    byUserWindow.forEach(
        (key, acc) -> {
          int cut = key.lastIndexOf('\u0000');
          long start = Long.parseLong(key.substring(cut + 1));
          BigInteger total = ((BigInteger) acc[1]).max(BOUND.negate()).min(BOUND);
          out.add(
              ModelJson.line(
                  "user_id", key.substring(0, cut),
                  "window_start", ModelJson.instant(start),
                  "window_end", ModelJson.instant(start + windowMillis),
                  "order_count", (Long) acc[0],
                  "total_amount", ModelJson.money(total.longValueExact()),
                  "timing", "ON_TIME",
                  "pane_index", 0L,
                  "is_final", true));
        });
    return out;
  }

  /** Lines that are not events: every pipeline must send exactly these to its dead-letter output. */
  public static long deadLetters(Iterable<String> lines) {
    long n = 0;
    for (String line : lines) {
      if (ModelEvents.read(line) == null) {
        n++;
      }
    }
    return n;
  }
}
