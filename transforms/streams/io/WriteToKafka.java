package streams.io;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;
import streams.model.RecordType;

/**
 * Writes to a Kafka topic: records of a {@link RecordType} as their JSON form, keyed by the fields that
 * identify the row ({@link #records}), or JSON strings with no key ({@link #to}). The key is the JSON object
 * of the key fields ({@link RecordType#kafkaKey}), in declaration order, compact, with the values as they are
 * in the record: {@code {"user_id":"u-1","window_start":"2026-01-15T10:00:00.000Z"}} for a revenue pane,
 * {@code {"order_id":"o-1","payment_id":"p-1"}} for a join, {@code {"tx_id":"t-1"}} for a fraud alert,
 * {@code {"order_id":"o-1"}} for a completed order. One row, one key: every pane of a window has the same
 * key, so log compaction and an upserting consumer keep the latest pane of each window, and rows that differ
 * never share a key. JSON rather than a joined string ({@code u-1|2026-...}) because ids are free text from
 * the input: any separator may occur in them, JSON escaping cannot be confused, and every consumer can parse
 * it. Kafka keeps every update of a key in one partition, in order.
 *
 * <p>Delivery: at-least-once by default (a retried bundle is written again). {@link #exactlyOnce} uses
 * KafkaIO's exactly-once sink: {@code numShards} transactional writers, each committing its records with
 * its sequence number in consumer group {@code sinkGroupId}; the topic needs at least {@code numShards}
 * partitions (a shard keeps its state on partition {@code shard}; with fewer partitions the shards hang and
 * then fail with {@code Timeout expired ... while awaiting AddOffsetsToTxn}). That sink is a
 * {@code @RequiresStableInput} step: a runner must replay identical input after a failure, which takes
 * checkpointing; a runner without it refuses the pipeline, one without fault tolerance gives no guarantee.
 * Consumers see each record once only with {@code isolation.level=read_committed}.
 */
public final class WriteToKafka<T> extends PTransform<PCollection<T>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, String> value;
  private final int numShards;
  private final String sinkGroupId;

  private WriteToKafka(
      String bootstrapServers,
      String topic,
      SerializableFunction<T, String> key,
      SerializableFunction<T, String> value,
      int numShards,
      String sinkGroupId) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.key = key;
    this.value = value;
    this.numShards = numShards;
    this.sinkGroupId = sinkGroupId;
  }

  /** JSON strings as they are, unkeyed, at-least-once. */
  public static WriteToKafka<String> to(String bootstrapServers, String topic) {
    return new WriteToKafka<>(bootstrapServers, topic, json -> null, json -> json, 0, null);
  }

  /** Records of {@code type} as their JSON form, keyed by their key fields (none: no key), at-least-once. */
  public static <R extends Record> WriteToKafka<R> records(String bootstrapServers, String topic, RecordType<R> type) {
    return new WriteToKafka<>(bootstrapServers, topic, type::kafkaKey, type::toJson, 0, null);
  }

  public WriteToKafka<T> exactlyOnce(int numShards, String sinkGroupId) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new WriteToKafka<>(bootstrapServers, topic, key, value, numShards, sinkGroupId);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    SerializableFunction<T, String> key = this.key;
    SerializableFunction<T, String> value = this.value;
    PCollection<KV<String, String>> records =
        input
            .apply(
                "ToKafkaRecords",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((T element) -> KV.of(key.apply(element), value.apply(element))))
            .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class);
    if (numShards > 0) {
      // Beam's sink reuses a shard's producer after a failure: it must not be left stuck (TransactionalProducer).
      write = write.withEOS(numShards, sinkGroupId).withProducerFactoryFn(TransactionalProducer::create);
    }
    return records.apply("WriteKafka", write);
  }
}
