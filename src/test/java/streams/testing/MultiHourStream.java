package streams.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A stream of several hours of event time, as a production topic holds it: orders every few seconds from
 * 24 users (all statuses), a payment for every other order (paid from 20 s before to 400 s after it, so
 * some fall outside the join's interval), transactions on 15 accounts with a burst now and then (6 within
 * 30 s, the fraud detector's case), in arrival order: each event arrives up to 3 s after its event time,
 * so the stream is slightly out of order but never behind a 5 s bounded out-of-orderness watermark.
 * Optionally a fraction of events arrives 30 to 60 minutes late: far behind the watermark by then, later
 * than an allowed lateness of a few minutes. Deterministic for a seed. Hourly windows close during the
 * stream, unlike the generator's (whose 100 000 events span 24 minutes).
 */
public final class MultiHourStream {
  private static final long T0 = Instant.parse("2026-01-15T00:00:00Z").toEpochMilli();

  private final Random random;
  private final Random lateness;
  private final double veryLateFraction;
  private final List<String> events = new ArrayList<>();
  private final List<Long> arrivals = new ArrayList<>();

  private MultiHourStream(long seed, double veryLateFraction) {
    this.random = new Random(seed);
    this.lateness = new Random(seed + 1);
    this.veryLateFraction = veryLateFraction;
  }

  public static List<String> generate(long seed, int hours, int ordersPerHour) {
    return generate(seed, hours, ordersPerHour, 0);
  }

  public static List<String> generate(long seed, int hours, int ordersPerHour, double veryLateFraction) {
    return new MultiHourStream(seed, veryLateFraction).build(hours, ordersPerHour);
  }

  private List<String> build(int hours, int ordersPerHour) {
    long span = hours * 3_600_000L;
    int orders = hours * ordersPerHour;
    String[] statuses = {"COMPLETED", "PENDING", "CANCELLED"};
    for (int i = 0; i < orders; i++) {
      long t = T0 + i * span / orders + random.nextInt(1000);
      String amount = money();
      add(t,
          String.format(Locale.ROOT,
              "{\"type\":\"order\",\"order_id\":\"o-%d\",\"user_id\":\"u-%d\",\"amount\":%s,\"status\":\"%s\",\"created_at\":\"%s\"}",
              i, 1 + random.nextInt(24), amount, statuses[random.nextInt(3)], Instant.ofEpochMilli(t)));
      if (i % 2 == 0) {
        long paid = t + (random.nextInt(420) - 20) * 1000L;
        add(paid,
            String.format(Locale.ROOT,
                "{\"type\":\"payment\",\"payment_id\":\"p-%d\",\"order_id\":\"o-%d\",\"amount\":%s,\"paid_at\":\"%s\"}",
                i, i, amount, Instant.ofEpochMilli(paid)));
      }
    }
    int transactions = orders * 5 / 6;
    int tx = 0;
    for (int j = 0; j < transactions; j++) {
      long t = T0 + j * span / transactions + random.nextInt(1000);
      int account = 1 + random.nextInt(15);
      int burst = j % 40 == 0 ? 6 : 1;
      for (int b = 0; b < burst; b++) {
        long bt = t + b * 5_000L;
        add(bt,
            String.format(Locale.ROOT,
                "{\"type\":\"transaction\",\"tx_id\":\"t-%d\",\"account_id\":\"a-%d\",\"amount\":%s,\"created_at\":\"%s\"}",
                tx++, account, money(), Instant.ofEpochMilli(bt)));
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < events.size(); k++) {
      order.add(k);
    }
    order.sort(Comparator.comparingLong((Integer k) -> arrivals.get(k)).thenComparingInt(k -> k));
    List<String> out = new ArrayList<>();
    for (int k : order) {
      out.add(events.get(k));
    }
    return out;
  }

  private void add(long eventTime, String json) {
    events.add(json);
    long delay = random.nextInt(3000);
    if (veryLateFraction > 0 && lateness.nextDouble() < veryLateFraction) {
      delay = 1_800_000L + lateness.nextInt(1_800_000);
    }
    arrivals.add(eventTime + delay);
  }

  private String money() {
    return String.format(Locale.ROOT, "%d.%02d", 1 + random.nextInt(300), random.nextInt(100));
  }
}
