package streams.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the measured runs: every configuration once per repeat, in order on odd repeats and
 * reversed on even ones, so that a drift of the machine's speed does not always favour the configuration
 * that runs first.
 */
public final class RunOrder {
  /** One planned run: a configuration, its repeat (from 1) and its place in the whole sequence (from 1). */
  public record Slot<C>(C config, int repeat, int sequence, int total) {}

  private RunOrder() {}

  public static <C> List<Slot<C>> alternating(List<C> configs, int repeats) {
    List<Slot<C>> out = new ArrayList<>();
    int total = configs.size() * repeats;
    for (int rep = 1; rep <= repeats; rep++) {
      List<C> order = new ArrayList<>(configs);
      if (rep % 2 == 0) {
        Collections.reverse(order);
      }
      for (C c : order) {
        out.add(new Slot<>(c, rep, out.size() + 1, total));
      }
    }
    return out;
  }

  /** What every report says about the order. */
  public static final String DESCRIPTION = "configurations in order on odd repeats, reversed on even repeats";
}
