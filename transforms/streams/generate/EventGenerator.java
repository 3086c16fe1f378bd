package streams.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import streams.model.Json;

/**
 * A deterministic generator of realistic orders, payments and transactions as JSON Lines, in arrival order
 * (same settings and seed, same bytes).
 *
 * <p>Event time advances by about 20 ms an event from {@code 2026-01-15T00:00:00Z}. Each event arrives
 * {@code uniform[0, disorder]} after its event time; a {@code lateFraction} of events arrives a further 1 to
 * 20 minutes late. Orders (5 000 users, status 80% COMPLETED) are followed by a payment 80% of the time,
 * at {@code created_at} −15 s … +6 min (so some fall outside the join interval), 2% paid twice.
 * Transactions are spread over 2 000 accounts (or {@code accounts}), and 2% of them start a burst of 4–8 transactions within
 * 45 s on one account (fraud candidates). A {@code badFraction} of lines is malformed on purpose. Formats
 * vary the way real feeds do: amounts as numbers or strings, times as ISO-8601 with Z or an offset, or
 * epoch milliseconds.
 */
public final class EventGenerator implements Iterable<String> {
  public static final long START_MILLIS = 1_768_435_200_000L; // 2026-01-15T00:00:00Z
  private static final long LATE_MARGIN_MILLIS = 60_000L;

  private final long events;
  private final long seed;
  private final long disorderMillis;
  private final double lateFraction;
  private final double badFraction;
  private final int accounts;

  private EventGenerator(
      long events, long seed, long disorderMillis, double lateFraction, double badFraction, int accounts) {
    if (accounts < 1) {
      throw new IllegalArgumentException("accounts must be >= 1, got " + accounts);
    }
    if (events < 0) {
      throw new IllegalArgumentException("events must be >= 0, got " + events);
    }
    if (disorderMillis < 0) {
      throw new IllegalArgumentException("disorder must be >= 0");
    }
    if (lateFraction < 0 || lateFraction > 1 || badFraction < 0 || badFraction > 1) {
      throw new IllegalArgumentException("fractions must be within [0, 1]");
    }
    this.events = events;
    this.seed = seed;
    this.disorderMillis = disorderMillis;
    this.lateFraction = lateFraction;
    this.badFraction = badFraction;
    this.accounts = accounts;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings with their defaults: 100 000 events, seed 42, 5 s disorder, 1% late, 0.1% malformed. */
  public static final class Builder {
    private long events = 100_000;
    private long seed = 42;
    private long disorderMillis = 5_000;
    private double lateFraction = 0.01;
    private double badFraction = 0.001;
    private int accounts = 2_000;

    public Builder events(long events) {
      this.events = events;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder disorderMillis(long disorderMillis) {
      this.disorderMillis = disorderMillis;
      return this;
    }

    public Builder lateFraction(double lateFraction) {
      this.lateFraction = lateFraction;
      return this;
    }

    public Builder badFraction(double badFraction) {
      this.badFraction = badFraction;
      return this;
    }

    /** How many accounts the transactions are spread over (default 2 000); the sequence of draws is the same. */
    public Builder accounts(int accounts) {
      this.accounts = accounts;
      return this;
    }

    public EventGenerator build() {
      return new EventGenerator(events, seed, disorderMillis, lateFraction, badFraction, accounts);
    }
  }

  /** Writes all events to {@code file}, one a line, UTF-8. */
  public void writeTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeTo(out);
    }
  }

  public void writeTo(Writer out) throws IOException {
    for (String line : this) {
      out.write(line);
      out.write('\n');
    }
  }

  @Override
  public Iterator<String> iterator() {
    return new Lines();
  }

  /** One pending line with its arrival time; ties broken by creation order so output is deterministic. */
  private static final class Pending implements Comparable<Pending> {
    final long arrival;
    final long seq;
    final String line;

    Pending(long arrival, long seq, String line) {
      this.arrival = arrival;
      this.seq = seq;
      this.line = line;
    }

    @Override
    public int compareTo(Pending o) {
      int c = Long.compare(arrival, o.arrival);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final class Lines implements Iterator<String> {
    private final SplittableRandom random = new SplittableRandom(seed);
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long clock = START_MILLIS;
    private long seq;
    private long emitted;
    private long orderNo;
    private long paymentNo;
    private long txNo;

    @Override
    public boolean hasNext() {
      return emitted < events;
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      // Keep generating until the earliest pending arrival can no longer be overtaken: every future
      // event has an event time >= clock - 15 s, hence an arrival >= clock - LATE_MARGIN.
      while (queue.isEmpty() || queue.peek().arrival > clock - LATE_MARGIN_MILLIS) {
        step();
      }
      emitted++;
      return queue.poll().line;
    }

    private void step() {
      clock += 1 + random.nextInt(40);
      if (random.nextDouble() < badFraction) {
        enqueue(clock, malformed());
      } else if (random.nextBoolean()) {
        order(clock);
      } else {
        transaction(clock, "a-" + random.nextInt(accounts));
        if (random.nextDouble() < 0.02) {
          burst(clock);
        }
      }
    }

    private void order(long createdAt) {
      String orderId = "o-" + (++orderNo);
      String userId = "u-" + random.nextInt(5_000);
      long cents = 100 + random.nextInt(50_000);
      double s = random.nextDouble();
      String status = s < 0.8 ? "COMPLETED" : s < 0.93 ? "PENDING" : "CANCELLED";
      enqueue(
          createdAt,
          "{\"type\":\"order\",\"order_id\":\"" + orderId + "\",\"user_id\":\"" + userId
              + "\",\"amount\":" + amount(cents) + ",\"status\":\"" + status
              + "\",\"created_at\":" + timestamp(createdAt) + "}");
      if (random.nextDouble() < 0.8) {
        int payments = random.nextDouble() < 0.02 ? 2 : 1;
        for (int i = 0; i < payments; i++) {
          long paidAt = createdAt - 15_000 + random.nextLong(375_000 + 1);
          enqueue(
              paidAt,
              "{\"type\":\"payment\",\"payment_id\":\"p-" + (++paymentNo) + "\",\"order_id\":\""
                  + orderId + "\",\"amount\":" + amount(cents) + ",\"paid_at\":" + timestamp(paidAt) + "}");
        }
      }
    }

    private void transaction(long createdAt, String accountId) {
      long cents = 1 + random.nextInt(20_000);
      enqueue(
          createdAt,
          "{\"type\":\"transaction\",\"tx_id\":\"t-" + (++txNo) + "\",\"account_id\":\"" + accountId
              + "\",\"amount\":" + amount(cents) + ",\"created_at\":" + timestamp(createdAt) + "}");
    }

    private void burst(long start) {
      String accountId = "a-" + random.nextInt(accounts);
      int size = 4 + random.nextInt(5);
      for (int i = 0; i < size; i++) {
        transaction(start + random.nextLong(45_000), accountId);
      }
    }

    private String malformed() {
      switch (random.nextInt(5)) {
        case 0:
          return "{\"type\":\"order\",\"order_id\":\"o-bad\",\"user_id\":";
        case 1:
          return "{\"type\":\"refund\",\"refund_id\":\"r-1\"}";
        case 2:
          return "{\"type\":\"order\",\"order_id\":\"o-bad\",\"user_id\":\"u-1\",\"amount\":\"12.345\","
              + "\"status\":\"COMPLETED\",\"created_at\":\"2026-01-15T10:00:00Z\"}";
        case 3:
          return "{\"type\":\"payment\",\"payment_id\":\"p-bad\",\"order_id\":\"o-1\",\"amount\":5,"
              + "\"paid_at\":\"yesterday\"}";
        default:
          return "{\"type\":\"transaction\",\"tx_id\":\"t-bad\",\"amount\":1.00,"
              + "\"created_at\":\"2026-01-15T10:00:00Z\"}";
      }
    }

    private String amount(long cents) {
      String decimal = Json.money(cents).toPlainString();
      return random.nextInt(10) == 0 ? "\"" + decimal + "\"" : decimal;
    }

    private String timestamp(long millis) {
      int form = random.nextInt(20);
      if (form == 0) {
        return Long.toString(millis);
      }
      if (form == 1) {
        return "\"" + java.time.Instant.ofEpochMilli(millis).atOffset(java.time.ZoneOffset.ofHours(2)) + "\"";
      }
      return "\"" + Json.instant(millis) + "\"";
    }

    private void enqueue(long eventTime, String line) {
      long delay = disorderMillis == 0 ? 0 : random.nextLong(disorderMillis + 1);
      if (random.nextDouble() < lateFraction) {
        delay += 60_000 + random.nextLong(19 * 60_000L);
      }
      queue.add(new Pending(eventTime + delay, seq++, line));
    }
  }
}
