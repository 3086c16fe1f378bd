package streams.models;

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
 * pane.
 */
public final class RevenueModel {
  private RevenueModel() {}

  public static List<String> expected(Iterable<String> lines, long windowMillis) {
    Map<String, long[]> byUserWindow = new TreeMap<>();
    for (String line : lines) {
      Object event;
      try {
        event = EventParser.parse(line);
      } catch (EventParser.BadEventException e) {
        continue;
      }
      if (event instanceof Order) {
        Order o = (Order) event;
        long start = Math.floorDiv(o.getCreatedAtMillis(), windowMillis) * windowMillis;
        long[] acc = byUserWindow.computeIfAbsent(o.getUserId() + "\u0000" + start, k -> new long[2]);
        acc[0]++;
        acc[1] += o.getAmountCents();
      }
    }
    List<String> out = new ArrayList<>();
    byUserWindow.forEach(
        (key, acc) -> {
          String[] parts = key.split("\u0000");
          long start = Long.parseLong(parts[1]);
          out.add(
              new UserRevenue(parts[0], start, start + windowMillis, acc[0], acc[1], "ON_TIME", 0, true)
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
