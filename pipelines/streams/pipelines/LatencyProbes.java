package streams.pipelines;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import streams.model.EventParser;
import streams.model.Order;
import streams.model.Payment;
import streams.model.Transaction;

/** The streaming probes of the pipelines whose results can be timed against their input. */
public final class LatencyProbes {
  /** Exact decimals: money read back is written back with its own digits (126.60 stays 126.60). */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private LatencyProbes() {}

  /** {@code completed}: per order_id, the result's append minus the order's append. */
  public static final StreamingProbe COMPLETED =
      new StreamingProbe() {
        @Override
        public String basis(long maxOutOfOrdernessMillis) {
          return "result append − order append, per order_id";
        }

        @Override
        public List<Double> latencies(List<Appended> input, List<Appended> results, long maxOutOfOrdernessMillis) {
          Map<String, Long> appended = new HashMap<>();
          for (Appended rec : input) {
            if (parse(rec.value()) instanceof Order o) {
              appended.putIfAbsent(o.orderId(), rec.appendMillis());
            }
          }
          List<Double> out = new ArrayList<>();
          for (Appended rec : results) {
            Long t = appended.get(read(rec.value()).path("order_id").asText());
            if (t != null) {
              out.add((double) (rec.appendMillis() - t));
            }
          }
          return out;
        }

        @Override
        public boolean sustainedThroughput() {
          return true;
        }
      };

  /**
   * {@code revenue}: per ON_TIME pane, the result's append minus the moment the stream reached the window's
   * end plus the watermark bound (the append of the first input event whose event time is at least {@code
   * window_end + maxOutOfOrderness}): the delay past the earliest moment the window could close. Streaming
   * runs use one-minute windows: the generator covers about 25 minutes of event time per 100 000 events,
   * so with the default hour a run of a few tens of thousands of events would have a single window.
   */
  public static final StreamingProbe REVENUE =
      new StreamingProbe() {
        @Override
        public List<String> options() {
          return List.of("--window=PT1M");
        }

        @Override
        public String basis(long maxOutOfOrdernessMillis) {
          return "ON_TIME pane append − append of the first event at or past window_end + "
              + maxOutOfOrdernessMillis / 1000 + " s (windows closed by the closing event left out)";
        }

        @Override
        public List<Double> latencies(List<Appended> input, List<Appended> results, long maxOutOfOrdernessMillis) {
          // The input's event-time progress: append time at which each new maximum event time was reached.
          List<long[]> progress = new ArrayList<>(); // {max event time, append time}
          long max = Long.MIN_VALUE;
          for (Appended rec : input) {
            Long t = eventTime(rec.value());
            if (t != null && t > max) {
              max = t;
              progress.add(new long[] {t, rec.appendMillis()});
            }
          }
          List<Double> out = new ArrayList<>();
          for (Appended rec : results) {
            JsonNode n = read(rec.value());
            if (!"ON_TIME".equals(n.path("timing").asText())) {
              continue;
            }
            long closes = Instant.parse(n.path("window_end").asText()).toEpochMilli() + maxOutOfOrdernessMillis;
            Long reached = firstReaching(progress, closes);
            if (reached != null) {
              out.add((double) (rec.appendMillis() - reached));
            }
          }
          return out;
        }

        /**
         * The last pane of each (user, window), written as the batch result is (ON_TIME, pane 0, final): the
         * streaming answer a consumer upserting by key ends up with, comparable with the batch model.
         */
        @Override
        public List<String> finalAnswer(List<String> values) {
          Map<String, ObjectNode> last = new LinkedHashMap<>();
          for (String v : values) {
            ObjectNode n = (ObjectNode) read(v);
            String key = n.path("user_id").asText() + "|" + n.path("window_start").asText();
            ObjectNode seen = last.get(key);
            if (seen == null || seen.path("pane_index").asLong() < n.path("pane_index").asLong()) {
              last.put(key, n);
            }
          }
          List<String> out = new ArrayList<>();
          for (ObjectNode n : last.values()) {
            n.put("timing", "ON_TIME");
            n.put("pane_index", 0);
            n.put("is_final", true);
            out.add(write(n));
          }
          return out;
        }

        /** Valid orders of the input minus the orders counted in the last pane of every (user, window). */
        @Override
        public Long uncounted(List<Appended> input, List<String> results) {
          long orders = input.stream().filter(rec -> parse(rec.value()) instanceof Order).count();
          long counted = 0;
          for (String v : finalAnswer(results)) {
            counted += read(v).path("order_count").asLong();
          }
          return orders - counted;
        }
      };

  private static Long firstReaching(List<long[]> progress, long eventTime) {
    int lo = 0;
    int hi = progress.size() - 1;
    Long found = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (progress.get(mid)[0] >= eventTime) {
        found = progress.get(mid)[1];
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return found;
  }

  /** The event time of a valid input line, else null. */
  public static Long eventTime(String line) {
    Object e = parse(line);
    if (e instanceof Order o) {
      return o.createdAtMillis();
    }
    if (e instanceof Payment p) {
      return p.paidAtMillis();
    }
    if (e instanceof Transaction t) {
      return t.createdAtMillis();
    }
    return null;
  }

  private static Object parse(String line) {
    try {
      return EventParser.parse(line);
    } catch (EventParser.BadEventException e) {
      return null;
    }
  }

  private static String write(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
