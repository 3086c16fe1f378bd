package streams.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * What a record's derived coder and JSON form cost against the hand-written ones they replace, in one JVM:
 * each candidate in turn over the same records, several rounds, medians in nanoseconds per record. Candidates:
 * the hand-written coders of the {@code revenue} pane and the order event (as they were, field by field), the
 * coders derived from the records ({@link RecordCoder}), and Beam's schema coder ({@code SchemaCoder}, a
 * POJO with the same fields); the JSON form as a Jackson tree (as it was) and as derived ({@link
 * RecordType#toJson}); the Kafka key by parsing the JSON again (as it was) and as derived.
 *
 * <p>{@code mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * && java -XX:+UseParallelGC -cp target/classes:target/test-classes:$(cat cp.txt) streams.model.CoderCost
 * [records] [rounds]}. Not a test: a measurement, in docs/performance.md.
 */
public final class CoderCost {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  private CoderCost() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    Random random = new Random(1);
    List<UserRevenue> panes = new ArrayList<>();
    List<RevenuePojo> pojos = new ArrayList<>();
    List<Order> orders = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = 1_768_471_200_000L + 3_600_000L * random.nextInt(48);
      UserRevenue r =
          new UserRevenue("u-" + random.nextInt(10_000), start, start + 3_600_000L, 1 + random.nextInt(50),
              random.nextInt(10_000_000), i % 10 == 0 ? "LATE" : "ON_TIME", i % 10 == 0 ? 1 : 0, i % 3 == 0);
      panes.add(r);
      pojos.add(RevenuePojo.of(r));
      orders.add(
          new Order("o-" + i, "u-" + random.nextInt(10_000), random.nextInt(100_000),
              Order.Status.values()[random.nextInt(3)], start + random.nextInt(3_600_000)));
    }
    Coder<RevenuePojo> schemaCoder = SchemaRegistry.createDefault().getSchemaCoder(RevenuePojo.class);

    Map<String, Task> tasks = new LinkedHashMap<>();
    tasks.put("pane coder: hand-written", () -> roundTrip(new HandWrittenUserRevenueCoder(), panes));
    tasks.put("pane coder: derived (RecordCoder)", () -> roundTrip(UserRevenue.TYPE.coder(), panes));
    tasks.put("pane coder: Beam SchemaCoder", () -> roundTrip(schemaCoder, pojos));
    tasks.put("order coder: hand-written", () -> roundTrip(new HandWrittenOrderCoder(), orders));
    tasks.put("order coder: derived (RecordCoder)", () -> roundTrip(Order.TYPE.coder(), orders));
    tasks.put("pane JSON: Jackson tree", () -> sink(panes, CoderCost::treeJson));
    tasks.put("pane JSON: derived (toJson)", () -> sink(panes, UserRevenue::toJson));
    tasks.put("pane Kafka key: parse the JSON again", () -> sink(panes, r -> keyByParsing(r.toJson())));
    tasks.put("pane Kafka key: derived (kafkaKey)", () -> sink(panes, UserRevenue.TYPE::kafkaKey));

    Map<String, double[]> nanos = new LinkedHashMap<>();
    tasks.keySet().forEach(k -> nanos.put(k, new double[rounds]));
    for (int warm = 0; warm < 3; warm++) {
      for (Task t : tasks.values()) {
        t.run();
      }
    }
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Task> t : tasks.entrySet()) {
        long t0 = System.nanoTime();
        t.getValue().run();
        nanos.get(t.getKey())[round] = (System.nanoTime() - t0) / (double) n;
      }
    }
    System.out.printf("%d records, %d rounds after 3 warm-up rounds; ns per record, median (min-max)%n", n, rounds);
    for (Map.Entry<String, double[]> e : nanos.entrySet()) {
      double[] v = e.getValue().clone();
      Arrays.sort(v);
      System.out.printf("  %-40s %8.1f (%.1f-%.1f)%n", e.getKey(), v[v.length / 2], v[0], v[v.length - 1]);
    }
    // Candidates of one round run back to back, so the ratio within a round is less exposed to the noise of
    // a shared machine than the times themselves.
    ratio(nanos, "pane coder: derived (RecordCoder)", "pane coder: hand-written");
    ratio(nanos, "pane coder: Beam SchemaCoder", "pane coder: derived (RecordCoder)");
    ratio(nanos, "order coder: derived (RecordCoder)", "order coder: hand-written");
    ratio(nanos, "pane JSON: derived (toJson)", "pane JSON: Jackson tree");
    ratio(nanos, "pane Kafka key: derived (kafkaKey)", "pane Kafka key: parse the JSON again");
    System.out.printf("  bytes per pane: hand-written %d, derived %d, SchemaCoder %d%n",
        size(new HandWrittenUserRevenueCoder(), panes.get(0)), size(UserRevenue.TYPE.coder(), panes.get(0)),
        size(schemaCoder, pojos.get(0)));
  }

  private static void ratio(Map<String, double[]> nanos, String a, String b) {
    double[] x = nanos.get(a);
    double[] y = nanos.get(b);
    double[] r = new double[x.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = x[i] / y[i];
    }
    Arrays.sort(r);
    System.out.printf("  %s / %s: %.2f (%.2f-%.2f), per round%n", a, b, r[r.length / 2], r[0], r[r.length - 1]);
  }

  private interface Task {
    void run() throws Exception;
  }

  private static volatile Object blackhole;

  private static <T> void roundTrip(Coder<T> coder, List<T> values) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * values.size());
    for (T v : values) {
      coder.encode(v, out);
    }
    InputStream in = new ByteArrayInputStream(out.toByteArray());
    Object last = null;
    for (int i = 0; i < values.size(); i++) {
      last = coder.decode(in);
    }
    if (!values.get(values.size() - 1).equals(last)) {
      throw new IllegalStateException("round trip changed " + last);
    }
    blackhole = last;
  }

  private static <T> void sink(List<T> values, java.util.function.Function<T, String> f) {
    int total = 0;
    for (T v : values) {
      total += f.apply(v).length();
    }
    blackhole = total;
  }

  private static <T> int size(Coder<T> coder, T value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(value, out);
    return out.size();
  }

  /** The JSON form as it was written: a Jackson tree. */
  private static String treeJson(UserRevenue r) {
    return Json.object()
        .put("user_id", r.userId())
        .put("window_start", Json.instant(r.windowStartMillis()))
        .put("window_end", Json.instant(r.windowEndMillis()))
        .put("order_count", r.orderCount())
        .put("total_amount", Json.money(r.totalCents()))
        .put("timing", r.timing())
        .put("pane_index", r.paneIndex())
        .put("is_final", r.isFinal())
        .toString();
  }

  /** The Kafka key as it was made: the result's JSON parsed again. */
  private static String keyByParsing(String json) {
    try {
      JsonNode record = Json.MAPPER.readTree(json);
      ObjectNode key = Json.MAPPER.createObjectNode();
      key.set("user_id", record.get("user_id"));
      key.set("window_start", record.get("window_start"));
      return Json.MAPPER.writeValueAsString(key);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The revenue pane's hand-written coder as it was. */
  static final class HandWrittenUserRevenueCoder extends AtomicCoder<UserRevenue> {
    @Override
    public void encode(UserRevenue r, OutputStream out) throws IOException {
      STRING.encode(r.userId(), out);
      LONG.encode(r.windowStartMillis(), out);
      LONG.encode(r.windowEndMillis(), out);
      LONG.encode(r.orderCount(), out);
      LONG.encode(r.totalCents(), out);
      STRING.encode(r.timing(), out);
      LONG.encode(r.paneIndex(), out);
      out.write(r.isFinal() ? 1 : 0);
    }

    @Override
    public UserRevenue decode(InputStream in) throws IOException {
      String user = STRING.decode(in);
      long start = LONG.decode(in);
      long end = LONG.decode(in);
      long count = LONG.decode(in);
      long cents = LONG.decode(in);
      String timing = STRING.decode(in);
      long pane = LONG.decode(in);
      int last = in.read();
      if (last != 0 && last != 1) {
        throw new IOException("corrupt UserRevenue encoding: last-pane flag " + last);
      }
      return new UserRevenue(user, start, end, count, cents, timing, pane, last == 1);
    }
  }

  /** The order event's hand-written coder as it was. */
  static final class HandWrittenOrderCoder extends AtomicCoder<Order> {
    @Override
    public void encode(Order o, OutputStream out) throws IOException {
      STRING.encode(o.orderId(), out);
      STRING.encode(o.userId(), out);
      LONG.encode(o.amountCents(), out);
      out.write(o.status().ordinal());
      LONG.encode(o.createdAtMillis(), out);
    }

    @Override
    public Order decode(InputStream in) throws IOException {
      String orderId = STRING.decode(in);
      String userId = STRING.decode(in);
      long cents = LONG.decode(in);
      int status = in.read();
      if (status < 0) {
        throw new IOException("truncated order");
      }
      return new Order(orderId, userId, cents, Order.Status.values()[status], LONG.decode(in));
    }
  }

  /** The revenue pane as a Beam schema POJO (public fields, no-argument constructor), for {@code SchemaCoder}. */
  @DefaultSchema(JavaFieldSchema.class)
  public static final class RevenuePojo {
    public String userId;
    public long windowStartMillis;
    public long windowEndMillis;
    public long orderCount;
    public BigDecimal totalAmount;
    public String timing;
    public long paneIndex;
    public boolean isFinal;

    static RevenuePojo of(UserRevenue r) {
      RevenuePojo p = new RevenuePojo();
      p.userId = r.userId();
      p.windowStartMillis = r.windowStartMillis();
      p.windowEndMillis = r.windowEndMillis();
      p.orderCount = r.orderCount();
      p.totalAmount = BigDecimal.valueOf(r.totalCents(), 2);
      p.timing = r.timing();
      p.paneIndex = r.paneIndex();
      p.isFinal = r.isFinal();
      return p;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RevenuePojo && ((RevenuePojo) o).userId.equals(userId)
          && ((RevenuePojo) o).windowStartMillis == windowStartMillis && ((RevenuePojo) o).paneIndex == paneIndex
          && ((RevenuePojo) o).totalAmount.equals(totalAmount) && ((RevenuePojo) o).isFinal == isFinal;
    }

    @Override
    public int hashCode() {
      return userId.hashCode();
    }
  }
}
