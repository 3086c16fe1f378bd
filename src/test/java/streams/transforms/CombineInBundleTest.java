package streams.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import streams.testing.TestRunner;

/**
 * {@link CombineInBundle} gives exactly what {@code Combine.perKey} gives, per key and window and with the
 * combined result's timestamp, on each runner in batch, whether the map holds every key of a bundle or is
 * full all the time ({@code maxKeys} 1 and 3).
 */
class CombineInBundleTest {
  private static final Duration WINDOW = Duration.standardMinutes(1);

  static List<TestRunner> runners() {
    return TestRunner.chosen();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void sameResultAsCombinePerKeyWhateverTheMapSize(TestRunner runner) {
    List<TimestampedValue<KV<String, Long>>> inputs = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    Random random = new Random(11);
    for (int i = 0; i < 3_000; i++) {
      String key = "k" + random.nextInt(40);
      long value = random.nextInt(2_000_001) - 1_000_000;
      long millis = random.nextInt(5 * 60_000);
      inputs.add(TimestampedValue.of(KV.of(key, value), new Instant(millis)));
      long windowStart = millis - millis % WINDOW.getMillis();
      long windowEnd = windowStart + WINDOW.getMillis();
      expected.merge(
          line(key, windowStart, windowEnd, new Instant(windowEnd - 1)), value, Long::sum);
    }
    List<String> expectedLines = new ArrayList<>();
    expected.forEach((k, v) -> expectedLines.add(k + "=" + v));

    Pipeline p = Pipeline.create(runner.batchOptions());
    PCollection<KV<String, Long>> windowed =
        p.apply(Create.timestamped(inputs).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(Window.into(FixedWindows.of(WINDOW)));
    PAssert.that(describe(windowed.apply("Reference", Combine.perKey(Sum.ofLongs())), "Reference"))
        .containsInAnyOrder(expectedLines);
    PAssert.that(describe(windowed.apply("Default", CombineInBundle.perKey(Sum.ofLongs())), "Default"))
        .containsInAnyOrder(expectedLines);
    for (int maxKeys : new int[] {1, 3}) {
      CombineInBundle<String, Long, long[], Long> small =
          CombineInBundle.<String, Long, long[], Long>perKey(Sum.ofLongs()).withMaxKeys(maxKeys);
      PAssert.that(describe(windowed.apply("Max" + maxKeys, small), "Max" + maxKeys))
          .containsInAnyOrder(expectedLines);
    }
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runners")
  void refusesUnboundedInput(TestRunner runner) {
    Pipeline p = Pipeline.create(runner.batchOptions());
    PCollection<KV<String, Long>> unbounded =
        p.apply(GenerateSequence.from(0))
            .apply(
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via((Long n) -> KV.of("k", n)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> unbounded.apply(CombineInBundle.perKey(Sum.ofLongs())));
    assertEquals(true, e.getMessage().contains("bounded input"));
  }

  private static String line(String key, long windowStart, long windowEnd, Instant timestamp) {
    return key + "@[" + windowStart + "," + windowEnd + ")@" + timestamp.getMillis();
  }

  private static PCollection<String> describe(PCollection<KV<String, Long>> sums, String name) {
    return sums.apply(
        "Describe" + name,
        ParDo.of(
            new DoFn<KV<String, Long>, String>() {
              @ProcessElement
              public void process(
                  @Element KV<String, Long> kv,
                  @Timestamp Instant timestamp,
                  BoundedWindow window,
                  OutputReceiver<String> out) {
                IntervalWindow w = (IntervalWindow) window;
                out.output(
                    line(kv.getKey(), w.start().getMillis(), w.end().getMillis(), timestamp)
                        + "="
                        + kv.getValue());
              }
            }));
  }
}
