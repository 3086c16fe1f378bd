package streams.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;
import streams.model.Json;

/**
 * Writes JSON strings to a Kafka topic as UTF-8 values, keyed by one field of the JSON (the result's key:
 * {@code user_id}, {@code account_id}, {@code order_id}), or with no key. Kafka then keeps every update of
 * a key in one partition, in order.
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
public final class WriteToKafka extends PTransform<PCollection<String>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final String keyField;
  private final int numShards;
  private final String sinkGroupId;

  private WriteToKafka(String bootstrapServers, String topic, String keyField, int numShards, String sinkGroupId) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.keyField = keyField;
    this.numShards = numShards;
    this.sinkGroupId = sinkGroupId;
  }

  /** Unkeyed records, at-least-once. */
  public static WriteToKafka to(String bootstrapServers, String topic) {
    return new WriteToKafka(bootstrapServers, topic, null, 0, null);
  }

  /** Keys each record by the text of {@code field} in its JSON (no key when the field is absent). */
  public WriteToKafka keyedBy(String field) {
    return new WriteToKafka(bootstrapServers, topic, field, numShards, sinkGroupId);
  }

  public WriteToKafka exactlyOnce(int numShards, String sinkGroupId) {
    if (numShards < 1) {
      throw new IllegalArgumentException("numShards must be at least 1, got " + numShards);
    }
    return new WriteToKafka(bootstrapServers, topic, keyField, numShards, sinkGroupId);
  }

  @Override
  public PDone expand(PCollection<String> json) {
    PCollection<KV<String, String>> records =
        json.apply("KeyBy" + (keyField == null ? "Nothing" : "Field"), ParDo.of(new KeyByFieldFn(keyField)))
            .setCoder(KvCoder.of(NullableCoder.of(StringUtf8Coder.of()), StringUtf8Coder.of()));
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class);
    if (numShards > 0) {
      write = write.withEOS(numShards, sinkGroupId);
    }
    return records.apply("WriteKafka", write);
  }

  /** {@code json -> KV(json[field] as text, json)}; a missing field or unparseable JSON gives a null key. */
  static final class KeyByFieldFn extends DoFn<String, KV<String, String>> {
    private final String field;

    KeyByFieldFn(String field) {
      this.field = field;
    }

    @ProcessElement
    public void process(@Element String json, OutputReceiver<KV<String, String>> out) {
      out.output(KV.of(key(field, json), json));
    }

    static String key(String field, String json) {
      if (field == null) {
        return null;
      }
      try {
        JsonNode value = Json.MAPPER.readTree(json).get(field);
        return value == null || value.isNull() ? null : value.asText();
      } catch (java.io.IOException e) {
        return null;
      }
    }
  }
}
