package streams.transforms;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code Combine.perKey(fn)} for bounded input, with the inputs of each (key, window) added into one
 * accumulator in a hash map inside each bundle before the shuffle; the shuffle then carries one accumulator
 * per key, window and bundle instead of every input, and the combine after it only merges accumulators.
 * The result is that of {@code Combine.perKey(fn)} whatever the bundles: each accumulator holds inputs of one
 * key and one window, and the CombineFn's merge is associative and commutative by contract.
 *
 * <p>A runner may lift a combine by itself, sorting the inputs by encoded key before combining them; the
 * hash map avoids that sort (docs/performance.md, change 9). Bounded input only: in a streaming job an
 * accumulator would stand for several elements, which changes what a late element is and what the runner
 * counts as dropped; {@link #expand} refuses unbounded input. The map holds at most {@code maxKeys} accumulators
 * (when it is full, those of the incoming element's window are emitted) and is emitted at the end of every
 * bundle; outputs carry the window's maximum timestamp, where the default timestamp combiner (end of
 * window) puts the combined result anyway.
 */
public final class CombineInBundle<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  private final Combine.CombineFn<InputT, AccumT, OutputT> fn;
  private final int maxKeys;

  private CombineInBundle(Combine.CombineFn<InputT, AccumT, OutputT> fn, int maxKeys) {
    this.fn = fn;
    this.maxKeys = maxKeys;
  }

  public static <K, InputT, AccumT, OutputT> CombineInBundle<K, InputT, AccumT, OutputT> perKey(
      Combine.CombineFn<InputT, AccumT, OutputT> fn) {
    return new CombineInBundle<>(fn, 50_000);
  }

  /** At most this many (key, window) accumulators held at once in a bundle. */
  public CombineInBundle<K, InputT, AccumT, OutputT> withMaxKeys(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
    }
    return new CombineInBundle<>(fn, maxKeys);
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    if (input.isBounded() != PCollection.IsBounded.BOUNDED) {
      throw new IllegalArgumentException(
          "CombineInBundle needs bounded input; use Combine.perKey on " + input.getName());
    }
    KvCoder<K, InputT> inputCoder = (KvCoder<K, InputT>) input.getCoder();
    Coder<AccumT> accumCoder;
    try {
      accumCoder =
          fn.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), inputCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException("no accumulator coder for " + fn.getClass().getName(), e);
    }
    Coder<K> keyCoder = inputCoder.getKeyCoder();
    return input
        .apply("AddInBundle", ParDo.of(new AddInBundleFn<>(fn, keyCoder, maxKeys)))
        .setCoder(KvCoder.of(keyCoder, accumCoder))
        .apply(
            "MergeAccumulators",
            Combine.perKey(new MergeAccumulatorsFn<>(fn, inputCoder.getValueCoder(), accumCoder)));
  }

  /** Adds each bundle's inputs per (key, window) in a hash map; emits the accumulators. */
  static final class AddInBundleFn<K, InputT, AccumT> extends DoFn<KV<K, InputT>, KV<K, AccumT>> {
    private final Combine.CombineFn<InputT, AccumT, ?> fn;
    private final Coder<K> keyCoder;
    private final int maxKeys;
    private transient Map<Slot, Partial<K, AccumT>> partials;

    AddInBundleFn(Combine.CombineFn<InputT, AccumT, ?> fn, Coder<K> keyCoder, int maxKeys) {
      this.fn = fn;
      this.keyCoder = keyCoder;
      this.maxKeys = maxKeys;
    }

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, InputT> kv, BoundedWindow window, OutputReceiver<KV<K, AccumT>> out) {
      // The coder's structural value: keys equal when their encodings are, as the shuffle groups them.
      Slot slot = new Slot(keyCoder.structuralValue(kv.getKey()), window);
      Partial<K, AccumT> partial = partials.get(slot);
      if (partial == null) {
        if (partials.size() >= maxKeys) {
          // Full: the partials of this element's window go out now (an output from here lands in this
          // window); if the map is still full, this input goes out as its own accumulator.
          emitWindow(window, out);
        }
        partial = new Partial<>(kv.getKey(), window, fn.createAccumulator());
        if (partials.size() >= maxKeys) {
          partial.accumulator = fn.addInput(partial.accumulator, kv.getValue());
          out.outputWithTimestamp(KV.of(partial.key, partial.accumulator), window.maxTimestamp());
          return;
        }
        partials.put(slot, partial);
      }
      partial.accumulator = fn.addInput(partial.accumulator, kv.getValue());
    }

    private void emitWindow(BoundedWindow window, OutputReceiver<KV<K, AccumT>> out) {
      Iterator<Partial<K, AccumT>> it = partials.values().iterator();
      while (it.hasNext()) {
        Partial<K, AccumT> partial = it.next();
        if (partial.window.equals(window)) {
          out.outputWithTimestamp(KV.of(partial.key, partial.accumulator), window.maxTimestamp());
          it.remove();
        }
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Partial<K, AccumT> partial : partials.values()) {
        context.output(
            KV.of(partial.key, partial.accumulator), partial.window.maxTimestamp(), partial.window);
      }
      partials = null;
    }
  }

  /** A (key, window) slot of the map. */
  private static final class Slot {
    private final Object key;
    private final BoundedWindow window;
    private final int hash;

    Slot(Object key, BoundedWindow window) {
      this.key = key;
      this.window = window;
      this.hash = 31 * Objects.hashCode(key) + window.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slot
          && ((Slot) o).hash == hash
          && Objects.equals(((Slot) o).key, key)
          && ((Slot) o).window.equals(window);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The key as first seen, its window and the accumulator so far. */
  private static final class Partial<K, AccumT> {
    final K key;
    final BoundedWindow window;
    AccumT accumulator;

    Partial(K key, BoundedWindow window, AccumT accumulator) {
      this.key = key;
      this.window = window;
      this.accumulator = accumulator;
    }
  }

  /** The combine after the shuffle: its inputs are accumulators of {@code fn}, merged with its merge. */
  static final class MergeAccumulatorsFn<InputT, AccumT, OutputT>
      extends Combine.CombineFn<AccumT, AccumT, OutputT> {
    private final Combine.CombineFn<InputT, AccumT, OutputT> fn;
    private final Coder<InputT> fnInputCoder;
    private final Coder<AccumT> accumCoder;

    MergeAccumulatorsFn(
        Combine.CombineFn<InputT, AccumT, OutputT> fn, Coder<InputT> fnInputCoder, Coder<AccumT> accumCoder) {
      this.fn = fn;
      this.fnInputCoder = fnInputCoder;
      this.accumCoder = accumCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT input) {
      return fn.mergeAccumulators(List.of(accumulator, input));
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return accumCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> inputCoder)
        throws CannotProvideCoderException {
      return fn.getDefaultOutputCoder(registry, fnInputCoder);
    }
  }
}
