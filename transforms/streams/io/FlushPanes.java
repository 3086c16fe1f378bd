package streams.io;

import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
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
 * once); anything else, and every bounded collection, is returned unchanged.
 */
public final class FlushPanes {
  private FlushPanes() {}

  public static <T> PCollection<T> every(PCollection<T> input, Duration interval) {
    WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
    if (input.isBounded() == PCollection.IsBounded.BOUNDED
        || !(strategy.getWindowFn() instanceof GlobalWindows)
        || !(strategy.getTrigger() instanceof DefaultTrigger)) {
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
