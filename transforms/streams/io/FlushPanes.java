package streams.io;

import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;

/**
 * File sinks need panes. Unbounded data in the global window with the default trigger (dead letters,
 * unwindowed results, the archive) never fires, so a file sink would never write it. This cuts such a
 * collection into panes every {@code interval} of processing time (discarding: each element is written
 * once).
 *
 * <p>Unbounded windowed results (revenue's panes) keep their windows, but a file sink groups them again,
 * and the accumulating trigger they inherit would make every later pane of that grouping repeat the
 * elements already written (the closing pane of a window was written up to a dozen times). They
 * are re-triggered discarding: each result pane, early, on time, late or closing, is written once: on time
 * when the watermark passes the window's end, early ones at most {@code interval} after they arrive, late
 * and closing ones as they arrive. Every bounded collection is returned unchanged.
 */
public final class FlushPanes {
  private FlushPanes() {}

  public static <T> PCollection<T> every(PCollection<T> input, Duration interval) {
    WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      return input;
    }
    if (!(strategy.getWindowFn() instanceof GlobalWindows)) {
      return input.apply(
          "WriteEachPaneOnce",
          Window.<T>configure()
              .triggering(
                  AfterWatermark.pastEndOfWindow()
                      .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval))
                      .withLateFirings(AfterPane.elementCountAtLeast(1)))
              .withAllowedLateness(strategy.getAllowedLateness())
              .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
              .discardingFiredPanes());
    }
    if (!(strategy.getTrigger() instanceof DefaultTrigger)) {
      return input;
    }
    return input.apply(
        "FlushEvery" + interval.getStandardSeconds() + "s",
        Window.<T>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
  }
}
