package streams.io;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of the exactly-once Kafka sink ({@link WriteToKafka#exactlyOnce}): a {@link KafkaProducer}
 * whose blocking transactional calls finish what they started when the thread is interrupted or the call
 * times out, instead of leaving the producer unusable.
 *
 * <p>Why: Beam's exactly-once sink keeps one producer per shard in a static cache of the worker JVM and puts
 * it back after every bundle, even after a failure (in Beam 2.62 it calls the transactional methods by
 * reflection, so the producer's exceptions arrive wrapped and its "close the producer" branch never runs).
 * When a runner cancels a task for a restart (a worker was killed, a checkpoint failed) it interrupts the
 * task's thread, often inside {@code commitTransaction}. Kafka's producer then keeps the commit pending and
 * refuses any other call ("Cannot attempt operation `beginTransaction` because the previous call to
 * `commitTransaction` timed out and must be retried"); the restarted job takes that producer from the cache
 * again, fails again, and never recovers (seen on a cluster, README "Clusters").
 *
 * <p>What: {@code initTransactions}, {@code sendOffsetsToTransaction}, {@code commitTransaction} and {@code
 * abortTransaction} are retried, as Kafka's documentation prescribes for a call that timed out, until they
 * complete or {@link #RETRY_FOR} has passed; an interrupt that arrived meanwhile is restored on return, so
 * the task still stops, right after the call. A commit that completes this way is reported as completed, so
 * the sink's record of what it committed stays true (reporting it as failed would make a cached writer write
 * the committed records again). Other errors are the producer's own.
 */
public final class TransactionalProducer<K, V> implements Producer<K, V> {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalProducer.class);

  /** How long a transactional call is retried after a time-out or an interrupt: Kafka's default transaction time-out. */
  static final Duration RETRY_FOR = Duration.ofMinutes(1);

  private final Producer<K, V> delegate;
  private final Time time;

  TransactionalProducer(Producer<K, V> delegate, Time time) {
    this.delegate = delegate;
    this.time = time;
  }

  /**
   * The producer's {@code retry.backoff.ms} unless configured (Kafka's default: 100 ms). Beam's sink commits
   * one transaction per element its internal shuffle hands it, and a streaming runner that fires that
   * shuffle's pane per element makes it one transaction per result. The transaction coordinator answers the
   * next transaction's first calls with {@code CONCURRENT_TRANSACTIONS} while it still writes the previous
   * one's markers, and the producer retries after this back-off: at 100 ms a single shard wrote about 19
   * results a second. Measured, a backlog of 4 000 {@code revenue} events (1 453 results, one shard): results
   * written in 76.8 s with the default, 24.1 s with 10 ms, 19.0 s with 1 ms (docs/bench-streaming.md).
   */
  static final int RETRY_BACKOFF_MILLIS = 10;

  /** The factory for {@code KafkaIO.Write.withProducerFactoryFn}. */
  public static <K, V> Producer<K, V> create(Map<String, Object> config) {
    return new TransactionalProducer<>(new KafkaProducer<>(tuned(config)), Time.SYSTEM);
  }

  /** {@code config} with {@link #RETRY_BACKOFF_MILLIS} unless it sets its own back-off. */
  static Map<String, Object> tuned(Map<String, Object> config) {
    Map<String, Object> tuned = new HashMap<>(config);
    tuned.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MILLIS);
    return tuned;
  }

  private interface Call {
    void run();
  }

  private void complete(String name, Call call) {
    long deadline = time.milliseconds() + RETRY_FOR.toMillis();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          call.run();
          if (interrupted) {
            LOG.info("{} completed after an interrupt; the interrupt is passed on", name);
          }
          return;
        } catch (InterruptException e) {
          // Kafka's InterruptException sets the thread's flag again; clear it to wait for the result.
          Thread.interrupted();
          interrupted = true;
          if (time.milliseconds() >= deadline) {
            throw e;
          }
        } catch (TimeoutException e) {
          if (time.milliseconds() >= deadline) {
            throw e;
          }
          LOG.warn("{} timed out, retrying: {}", name, e.getMessage());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void initTransactions() {
    complete("initTransactions", delegate::initTransactions);
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  @Deprecated
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
    complete("sendOffsetsToTransaction", () -> delegate.sendOffsetsToTransaction(offsets, consumerGroupId));
  }

  @Override
  public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    complete("sendOffsetsToTransaction", () -> delegate.sendOffsetsToTransaction(offsets, groupMetadata));
  }

  @Override
  public void commitTransaction() {
    complete("commitTransaction", delegate::commitTransaction);
  }

  @Override
  public void abortTransaction() {
    complete("abortTransaction", delegate::abortTransaction);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return delegate.send(record);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    return delegate.send(record, callback);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
