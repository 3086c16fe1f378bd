package streams.benchmarks.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic back, with each record's broker append time, outside any job. */
final class Topics {
  private Topics() {}

  /** One record as read back. */
  static final class Rec {
    final int partition;
    final long offset;
    final long appendMillis;
    final boolean logAppendTime;
    final String key;
    final String value;

    Rec(ConsumerRecord<byte[], byte[]> r) {
      partition = r.partition();
      offset = r.offset();
      appendMillis = r.timestamp();
      logAppendTime = r.timestampType() == TimestampType.LOG_APPEND_TIME;
      key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
      value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    List<TopicPartition> tps = new ArrayList<>();
    List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos != null) {
      for (PartitionInfo i : infos) {
        tps.add(new TopicPartition(topic, i.partition()));
      }
    }
    return tps;
  }

  /** Records the topic holds now (sum of end offsets; 0 for a topic that does not exist). */
  static long size(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrapServers)) {
      if (!c.listTopics(Duration.ofSeconds(30)).containsKey(topic)) {
        return 0;
      }
      long n = 0;
      List<TopicPartition> tps = partitions(c, topic);
      Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
      for (Map.Entry<TopicPartition, Long> e : c.endOffsets(tps).entrySet()) {
        n += e.getValue() - begin.get(e.getKey());
      }
      return n;
    }
  }

  /** Every record of the topic up to its current end, partition by partition in offset order. */
  static List<Rec> readAll(String bootstrapServers, String topic) {
    List<Rec> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrapServers)) {
      if (!c.listTopics(Duration.ofSeconds(30)).containsKey(topic)) {
        return out;
      }
      List<TopicPartition> tps = partitions(c, topic);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(tps));
      c.assign(tps);
      c.seekToBeginning(tps);
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < deadline) {
        boolean done = true;
        for (TopicPartition tp : tps) {
          if (c.position(tp) < end.get(tp)) {
            done = false;
          }
        }
        if (done) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(new Rec(r));
          }
        }
      }
    }
    return out;
  }
}
