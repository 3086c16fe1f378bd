package streams.io;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import streams.transforms.ParseEvents;

/**
 * Lets each Kafka offset through once: per topic partition, a record whose offset is not above the highest
 * offset already let through is dropped (and counted in {@code streams/replayed_offsets_dropped}). The
 * highest offset is keyed state, in the job's checkpoints with the rest of its state.
 *
 * <p>Why: a job restored from a checkpoint may read a partition twice at once. A runner's source may
 * re-create the readers restored from the checkpoint and, on top of them, readers for the splits it assigns
 * again at start-up (apache/beam#34890), which start from the group's committed offsets; every event after
 * the checkpoint would be counted twice. Each reader reads its partition in offset
 * order, so the first copy of each offset passes and the later one is dropped: every offset exactly once.
 */
final class DropReplayedOffsets
    extends PTransform<PCollection<KafkaRecord<byte[], byte[]>>, PCollection<KafkaRecord<byte[], byte[]>>> {

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PCollection<KafkaRecord<byte[], byte[]>> records) {
    return records
        .apply(
            "ByPartition",
            WithKeys.<String, KafkaRecord<byte[], byte[]>>of(r -> r.getTopic() + "-" + r.getPartition())
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), records.getCoder()))
        .apply("DropSeenOffsets", ParDo.of(new DropSeenFn()))
        .setCoder(records.getCoder());
  }

  static final class DropSeenFn extends DoFn<KV<String, KafkaRecord<byte[], byte[]>>, KafkaRecord<byte[], byte[]>> {
    private final Counter dropped = Metrics.counter(ParseEvents.METRICS_NAMESPACE, "replayed_offsets_dropped");

    @StateId("highest")
    private final StateSpec<ValueState<Long>> highestSpec = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(
        @Element KV<String, KafkaRecord<byte[], byte[]>> element,
        @StateId("highest") ValueState<Long> highest,
        OutputReceiver<KafkaRecord<byte[], byte[]>> out) {
      long offset = element.getValue().getOffset();
      Long seen = highest.read();
      if (seen != null && offset <= seen) {
        dropped.inc();
        return;
      }
      highest.write(offset);
      out.output(element.getValue());
    }
  }
}
