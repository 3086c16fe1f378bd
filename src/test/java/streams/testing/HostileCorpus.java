package streams.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import streams.model.EventParser;

/**
 * A deterministic corpus of hostile lines mixed into valid input (same arguments, same bytes): every
 * hostile line must become a dead letter, every valid line an event.
 *
 * <p>Hostile kinds: truncated valid lines, random bytes, type swaps, extreme amounts and dates, huge
 * strings, deep nesting, invalid UTF-8, escaped unpaired surrogates, JSON that is not an event, and a few
 * lines over 1 MiB. Valid lines: the caller's (the generator's) plus edge cases that must stay valid (the
 * limits themselves: amounts of ±9999999999999999.99, years 1970 and 9999, 256-character ids, characters
 * outside the BMP) and orders whose window totals leave {@code DECIMAL(18,2)} (saturated) or come back
 * into it (exact only if the sum is exact whatever the order of adds).
 *
 * <p>Lines never hold {@code \n} or {@code \r}, so a file splits into exactly these lines, as TextIO splits
 * it. {@link #decodedLines} reads a file back the way TextIO does (UTF-8, undecodable bytes as U+FFFD).
 */
public final class HostileCorpus {
  /** The largest amount an event may have. */
  static final String MAX_AMOUNT = "9999999999999999.99";

  private final List<byte[]> lines = new ArrayList<>();
  private final Map<String, Integer> hostileByKind = new TreeMap<>();
  private int hostile;
  private int valid;

  private HostileCorpus() {}

  /**
   * {@code validLines} in their order with {@code hostileLines} hostile lines (plus {@code oversized} lines
   * over 1 MiB) and the valid edge cases ({@link #validEdges}) inserted at positions drawn from {@code seed}.
   * The first line is always a valid one.
   */
  public static HostileCorpus mix(List<String> validLines, int hostileLines, int oversized, long seed) {
    return mix(validLines, hostileLines, oversized, seed, validEdges());
  }

  /** As {@link #mix(List, int, int, long)}, with {@code edges} as the valid lines inserted. */
  public static HostileCorpus mix(
      List<String> validLines, int hostileLines, int oversized, long seed, List<String> edges) {
    HostileCorpus corpus = new HostileCorpus();
    SplittableRandom random = new SplittableRandom(seed);
    Kinds kinds = new Kinds(random, validLines);
    List<byte[]> extra = new ArrayList<>();
    for (int i = 0; i < hostileLines; i++) {
      String kind = Kinds.KINDS[random.nextInt(Kinds.KINDS.length)];
      extra.add(kinds.make(kind));
      corpus.count(kind);
    }
    for (int i = 0; i < oversized; i++) {
      extra.add(kinds.oversized(i));
      corpus.count("over 1 MiB");
    }
    for (String e : edges) {
      extra.add(utf8(e));
    }
    corpus.valid = validLines.size() + edges.size();
    Collections.shuffle(extra, new java.util.Random(seed));
    // Insert the extra lines at random gaps after the first valid line, keeping the valid lines' order.
    int[] slots = new int[extra.size()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = 1 + random.nextInt(Math.max(1, validLines.size()));
    }
    java.util.Arrays.sort(slots);
    int next = 0;
    for (int v = 0; v <= validLines.size(); v++) {
      while (next < slots.length && slots[next] == v) {
        corpus.lines.add(extra.get(next++));
      }
      if (v < validLines.size()) {
        corpus.lines.add(utf8(validLines.get(v)));
      }
    }
    while (next < slots.length) {
      corpus.lines.add(extra.get(next++));
    }
    return corpus;
  }

  private void count(String kind) {
    hostile++;
    hostileByKind.merge(kind, 1, Integer::sum);
  }

  public int hostileLines() {
    return hostile;
  }

  public int validLines() {
    return valid;
  }

  public int lines() {
    return lines.size();
  }

  public Map<String, Integer> hostileByKind() {
    return Collections.unmodifiableMap(hostileByKind);
  }

  /** The lines as bytes, in order (what a producer sends as record values). */
  public List<byte[]> bytes() {
    return Collections.unmodifiableList(lines);
  }

  public void writeTo(Path file) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      for (byte[] line : lines) {
        out.write(line);
        out.write('\n');
      }
    }
  }

  /** The lines of {@code file} as TextIO reads them: split at {@code \n}, each decoded leniently. */
  public static List<String> decodedLines(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        out.add(new String(all, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < all.length) {
      out.add(new String(all, start, all.length - start, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Lines at the limits that must stay valid, and orders whose sums test the revenue totals. */
  public static List<String> validEdges() {
    List<String> out = new ArrayList<>();
    out.add(order("o-edge-1", "u-edge", MAX_AMOUNT, "\"2026-01-15T01:00:00Z\""));
    out.add(order("o-edge-2", "u-edge", "\"-" + MAX_AMOUNT + "\"", "\"2026-01-15T01:00:01Z\""));
    out.add(order("o-edge-3", "u-edge", "\"0.000\"", "\"2026-01-15T01:00:02Z\""));
    out.add(order("o-edge-4", "u-edge", "1E+2", "\"2026-01-15T01:00:03Z\""));
    out.add(order("o-edge-5", "u-1970", "1.00", "\"1970-01-01T00:00:00Z\""));
    out.add(order("o-edge-6", "u-1970", "1.00", "0"));
    out.add(order("o-edge-7", "u-9999", "1.00", "\"9999-12-31T23:59:59.999Z\""));
    out.add(order("o-edge-8", "u-9999", "1.00", "253402300799999"));
    out.add(order("o-edge-9", "u-" + "l".repeat(254), "2.50", "\"2026-01-15T01:30:00Z\""));
    out.add(order("o-edge-10", "u-\\ud83d\\ude00-\u00e9-\u4e2d", "3.50", "\"2026-01-15T01:30:00Z\""));
    out.add(order("o-nul\\u0000x", "u-edge", "4.50", "\"2026-01-15T01:30:00Z\""));
    out.add(
        "{\"type\":\"payment\",\"payment_id\":\"p-edge\",\"order_id\":\"o-edge-1\",\"amount\":\"" + MAX_AMOUNT
            + "\",\"paid_at\":\"9999-12-31T23:59:59.999Z\"}");
    out.add(
        "{\"type\":\"transaction\",\"tx_id\":\"t-edge\",\"account_id\":\"a-edge\",\"amount\":0.01,"
            + "\"created_at\":\"1970-01-01T00:00:00.000Z\",\"extra\":[[[[[{\"deep\":\"but within 64\"}]]]]]}");
    // 12 orders of the largest amount: the window total leaves DECIMAL(18,2) and is written saturated.
    for (int i = 0; i < 12; i++) {
      out.add(order("o-whale-" + i, "u-whale", MAX_AMOUNT, "\"2026-01-15T03:10:0" + (i % 10) + "Z\""));
    }
    for (int i = 0; i < 3; i++) {
      out.add(order("o-sink-" + i, "u-sink", "-" + MAX_AMOUNT, "\"2026-01-15T03:20:00Z\""));
    }
    // +max six times, -max six times and 1.00: exactly 1.00 whatever the order of the adds and merges.
    for (int i = 0; i < 6; i++) {
      out.add(order("o-even-p" + i, "u-even", MAX_AMOUNT, "\"2026-01-15T03:30:00Z\""));
      out.add(order("o-even-m" + i, "u-even", "-" + MAX_AMOUNT, "\"2026-01-15T03:30:00Z\""));
    }
    out.add(order("o-even-1", "u-even", "1.00", "\"2026-01-15T03:30:00Z\""));
    return out;
  }

  static String order(String orderId, String userId, String amount, String createdAt) {
    return "{\"type\":\"order\",\"order_id\":\"" + orderId + "\",\"user_id\":\"" + userId + "\",\"amount\":"
        + amount + ",\"status\":\"COMPLETED\",\"created_at\":" + createdAt + "}";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The hostile line makers. */
  private static final class Kinds {
    static final String[] KINDS = {
      "truncated", "random bytes", "type swap", "extreme amount", "extreme date", "huge string",
      "deep nesting", "invalid UTF-8", "unpaired surrogate", "not an event"
    };

    static final String[] EXTREME_AMOUNTS = {
      "\"1e2147483647\"", "1e2147483647", "\"1e500000000\"", "1e500000000", "\"-1e500000000\"", "1e-2147483647",
      "\"1e-500000000\"", "0e-2147483648", "\"1e2147483648\"", "10000000000000000", "\"10000000000000000.00\"",
      "-10000000000000000", "90000000000000000.00", "9223372036854775807", "-9223372036854775808",
      "99999999999999999999999999", "1e400", "-1e400", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"0x1F\"",
      "\"1,000.00\"", "12.345", "0.001", "12.5e-3", "\"\"", "\"  \"", "1" + "0".repeat(120),
      "\"" + "9".repeat(101) + "\"", "10000000000000000.001", "1e16", "-1E+16", "\"12.50 EUR\""
    };

    static final String[] EXTREME_DATES = {
      "9300000000000000", "\"9300000000000000\"", "\"+999999999-12-31T23:59:59Z\"", "\"-290309-01-01T00:00:00Z\"",
      "\"-999999999-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59.999Z\"", "\"+10000-01-01T00:00:00Z\"", "-1",
      "253402300800000", "9223372036854775807", "-9223372036854775808", "99999999999999999999",
      "\"99999999999999999999\"", "\"2026-02-30T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
      "\"0000-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00+00:01\"", "\"9999-12-31T23:59:59-00:01\"", "1.5e12",
      "1e300", "\"2026-01-15T10:00:00\"", "\"2026-01-15 10:00:00Z\"", "\"tomorrow\"", "\"\"", "true"
    };

    static final String[] NOT_EVENTS = {
      "[1,2]", "42", "\"order\"", "null", "true", "{}", "{\"type\":\"refund\",\"refund_id\":\"r\"}",
      "   ", "\t", "{\"type\":\"order\"}", "{\"type\":null}", "{\"type\":\"ORDER\"}",
      "{\"type\":\"order\",\"order_id\":\"o\",\"user_id\":\"u\",\"amount\":1,\"status\":\"SHIPPED\",\"created_at\":0}",
      "{\"type\":\"order\",\"order_id\":\"\",\"user_id\":\"u\",\"amount\":1,\"status\":\"PENDING\",\"created_at\":0}",
      "{\"type\":\"payment\",\"payment_id\":\"p\",\"order_id\":\"o\",\"amount\":1}",
      "{\"type\":\"transaction\",\"tx_id\":\"t\",\"amount\":1,\"created_at\":0}",
      "{'type':'order'}", "{\"type\":\"order\",}", "\uFEFF{}", "{\"type\":\"order\"}}"
    };

    private final SplittableRandom random;
    private final List<String> valid;

    Kinds(SplittableRandom random, List<String> valid) {
      this.random = random;
      this.valid = valid;
    }

    byte[] make(String kind) {
      switch (kind) {
        case "truncated":
          return truncated();
        case "random bytes":
          return randomBytes();
        case "type swap":
          return utf8(typeSwap());
        case "extreme amount":
          return utf8(withField(base(), "amount", pick(EXTREME_AMOUNTS)));
        case "extreme date":
          return utf8(extremeDate());
        case "huge string":
          return utf8(hugeString());
        case "deep nesting":
          return utf8(deepNesting());
        case "invalid UTF-8":
          return invalidUtf8();
        case "unpaired surrogate":
          return utf8(withField(base(), pick(new String[] {"order_id", "user_id"}), "\"u-" + pick(new String[] {
              "\\ud800", "\\udfff", "\\ud83d", "x\\ude00y", "\\ude00\\ud83d"}) + "\""));
        default:
          return utf8(pick(NOT_EVENTS));
      }
    }

    /** A valid order of its own (not one of the valid lines, which must stay countable). */
    private String base() {
      return order(
          "o-h" + random.nextInt(1_000_000), "u-h" + random.nextInt(100), "12.50", "\"2026-01-15T10:00:00Z\"");
    }

    private String pick(String[] values) {
      return values[random.nextInt(values.length)];
    }

    private byte[] truncated() {
      String line = valid.get(random.nextInt(valid.size()));
      return utf8(line.substring(0, 1 + random.nextInt(line.length() - 1)));
    }

    private byte[] randomBytes() {
      byte[] b = new byte[1 + random.nextInt(300)];
      for (int i = 0; i < b.length; i++) {
        byte v;
        do {
          v = (byte) random.nextInt(256);
        } while (v == '\n' || v == '\r');
        b[i] = v;
      }
      return b;
    }

    private String typeSwap() {
      String[] fields = {"type", "order_id", "user_id", "amount", "status", "created_at"};
      String field = pick(fields);
      String[] wrong;
      switch (field) {
        case "amount":
          wrong = new String[] {"true", "false", "[]", "{}", "[12.50]", "{\"v\":12.50}", "\"twelve\""};
          break;
        case "created_at":
          wrong = new String[] {"true", "[]", "{}", "12.5", "[\"2026-01-15T10:00:00Z\"]", "\"now\""};
          break;
        default:
          wrong = new String[] {"7", "12.5", "true", "false", "[]", "{}", "[\"u-1\"]", "{\"id\":\"u-1\"}", "null"};
      }
      return withField(base(), field, pick(wrong));
    }

    private String extremeDate() {
      switch (random.nextInt(3)) {
        case 0:
          return withField(base(), "created_at", pick(EXTREME_DATES));
        case 1:
          return "{\"type\":\"payment\",\"payment_id\":\"p-h\",\"order_id\":\"o-h\",\"amount\":1.00,\"paid_at\":"
              + pick(EXTREME_DATES) + "}";
        default:
          return "{\"type\":\"transaction\",\"tx_id\":\"t-h\",\"account_id\":\"a-h\",\"amount\":1.00,\"created_at\":"
              + pick(EXTREME_DATES) + "}";
      }
    }

    /** Mostly 257 characters to 16 Ki; one in 500 up to 900 Ki (the line stays under 1 MiB). */
    private String hugeString() {
      int n = random.nextInt(500) == 0 ? 100_000 + random.nextInt(800_000) : 257 + random.nextInt(16_000);
      String field = pick(new String[] {"type", "order_id", "user_id", "status", "amount", "created_at"});
      char c = (char) ('a' + random.nextInt(26));
      return withField(base(), field, "\"" + String.valueOf(c).repeat(n) + "\"");
    }

    private String deepNesting() {
      int depth = 65 + random.nextInt(random.nextInt(10) == 0 ? 20_000 : 2_000);
      String open = random.nextBoolean() ? "[" : "{\"a\":";
      String close = open.equals("[") ? "]" : "}";
      String nested = open.repeat(depth) + "1" + close.repeat(depth);
      return random.nextBoolean()
          ? nested
          : base().replace("}", ",\"meta\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}");
    }

    private byte[] invalidUtf8() {
      byte[][] bad = {
        {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}
      };
      String line = withField(base(), pick(new String[] {"order_id", "user_id", "status"}), "\"u-@@\"");
      byte[] before = utf8(line.substring(0, line.indexOf("@@")));
      byte[] after = utf8(line.substring(line.indexOf("@@") + 2));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(before, 0, before.length);
      byte[] b = bad[random.nextInt(bad.length)];
      out.write(b, 0, b.length);
      out.write(after, 0, after.length);
      return out.toByteArray();
    }

    /** Lines over 1 MiB: valid orders padded past the limit, and plain garbage. */
    byte[] oversized(int i) {
      int[] sizes = {EventParser.MAX_LINE_BYTES + 1, EventParser.MAX_LINE_BYTES * 3 / 2, 2 * EventParser.MAX_LINE_BYTES};
      int size = sizes[i % sizes.length];
      String line = base();
      if (i % 2 == 0) {
        String head = line.substring(0, line.length() - 1) + ",\"pad\":\"";
        return utf8(head + "p".repeat(size - head.length() - 2) + "\"}");
      }
      return utf8("x".repeat(size));
    }

    /** {@code line} with {@code field}'s value replaced by the raw JSON {@code value}. */
    private static String withField(String line, String field, String value) {
      String key = "\"" + field + "\":";
      int start = line.indexOf(key) + key.length();
      int end;
      if (line.charAt(start) == '"') {
        end = line.indexOf('"', start + 1) + 1;
      } else {
        end = start;
        while (line.charAt(end) != ',' && line.charAt(end) != '}') {
          end++;
        }
      }
      return line.substring(0, start) + value + line.substring(end);
    }
  }
}
