package streams.transforms;

import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/** Pane metadata as written in results. */
public final class Panes {
  private Panes() {}

  /**
   * EARLY, ON_TIME or LATE. Batch executions of some runners do not track panes and report {@code
   * UNKNOWN} for the single firing of a bounded input; that firing is the on-time one by definition (the
   * watermark passed every window at once), so it is written as ON_TIME.
   */
  public static String timing(PaneInfo pane) {
    switch (pane.getTiming()) {
      case EARLY:
        return "EARLY";
      case LATE:
        return "LATE";
      default:
        return "ON_TIME";
    }
  }
}
