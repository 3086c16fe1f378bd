package streams.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Median and spread (min–max) of one figure over the repeats of a configuration: the one statistic of
 * {@code scripts/compare} and {@code scripts/bench}.
 */
public final class Stat {
  public final double median;
  public final double min;
  public final double max;
  public final int n;

  private Stat(double median, double min, double max, int n) {
    this.median = median;
    this.min = min;
    this.max = max;
    this.n = n;
  }

  /** The statistic of a figure over runs, ignoring runs that lack it; null when none has it. */
  public static <T> Stat of(List<T> runs, Function<T, ? extends Number> figure) {
    List<Double> values = new ArrayList<>();
    for (T r : runs) {
      Number v = figure.apply(r);
      if (v != null) {
        values.add(v.doubleValue());
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    Collections.sort(values);
    int k = values.size();
    double median = k % 2 == 1 ? values.get(k / 2) : (values.get(k / 2 - 1) + values.get(k / 2)) / 2;
    return new Stat(median, values.get(0), values.get(k - 1), k);
  }

  /** "12.3 (11.9–13.0)", or the median alone for a single value. */
  public String format(String pattern) {
    String m = String.format(Locale.ROOT, pattern, median);
    if (n == 1 || Objects.equals(String.format(Locale.ROOT, pattern, min), String.format(Locale.ROOT, pattern, max))) {
      return m;
    }
    return m + " (" + String.format(Locale.ROOT, pattern, min) + "–" + String.format(Locale.ROOT, pattern, max) + ")";
  }

  public static String format(Stat s, String pattern) {
    return s == null ? "–" : s.format(pattern);
  }
}
