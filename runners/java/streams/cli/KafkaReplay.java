package streams.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Appends lines (generated events, in arrival order) to a Kafka topic at a steady rate, with a progress
 * line every {@code progressEvery} events. Messages have no key and go to the partitions in turn (the
 * i-th line to partition {@code i % partitions}): each partition receives an in-order share of the lines,
 * as a keyed producer of a real feed spreads its events. (Left to itself, the producer would fill one
 * partition for a whole batch before the next; at a steady rate the other partitions would then be quiet
 * for seconds, and their watermarks, which an event-time result waits for, with them.) Values are the
 * UTF-8 lines. Every send is acknowledged by the broker ({@code acks=all})
 * before {@link #replay} returns.
 */
public final class KafkaReplay {
  private final String bootstrapServers;
  private final String topic;

  public KafkaReplay(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /**
   * Creates the topic with {@code partitions} partitions if it does not exist, stamped by the broker
   * ({@code message.timestamp.type=LogAppendTime}): a record's timestamp is the time it was appended,
   * which latency measurements compare without any client clock. An existing topic is left as it is.
   */
  public static void createTopics(String bootstrapServers, int partitions, List<String> topics) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (String t : topics) {
        if (existing.contains(t)) {
          continue;
        }
        NewTopic topic =
            new NewTopic(t, partitions, (short) 1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create topics " + topics + " on " + bootstrapServers + ": " + Cli.rootCause(e), e);
    }
  }

  /** What a replay did. */
  public static final class Stats {
    public final long sent;
    public final double seconds;

    Stats(long sent, double seconds) {
      this.sent = sent;
      this.seconds = seconds;
    }

    public double rate() {
      return seconds > 0 ? sent / seconds : 0;
    }
  }

  /**
   * Sends every line, at most {@code eventsPerSecond} a second ({@code <= 0}: as fast as the broker takes
   * them), and waits for the acknowledgements.
   */
  public Stats replay(Iterable<String> lines, long total, double eventsPerSecond, PrintStream progress) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long sent = 0;
    long nextProgress = start + TimeUnit.SECONDS.toNanos(5);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      // The topic's metadata first: else the first event waits for it and the next ones, already due, follow
      // in a burst (the appended rate would exceed the stated one).
      int partitions = producer.partitionsFor(topic).size();
      start = System.nanoTime();
      nextProgress = start + TimeUnit.SECONDS.toNanos(5);
      for (String line : lines) {
        if (failure.get() != null) {
          break;
        }
        if (eventsPerSecond > 0) {
          long due = start + (long) (sent * 1e9 / eventsPerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        producer.send(
            new ProducerRecord<>(topic, (int) (sent % partitions), null, line.getBytes(StandardCharsets.UTF_8)),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
        sent++;
        long now = System.nanoTime();
        if (now >= nextProgress) {
          nextProgress = now + TimeUnit.SECONDS.toNanos(5);
          double s = (now - start) / 1e9;
          progress.printf(
              Locale.ROOT,
              "  sent %d/%d events (%.0f%%) to %s in %.0f s, %.0f events/s, %d acknowledged%n",
              sent, total, 100.0 * sent / Math.max(1, total), topic, s, sent / s, acked.get());
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted after " + sent + " events");
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "the broker refused an event after " + acked.get() + " acknowledged: " + Cli.rootCause(failure.get()));
    }
    return new Stats(sent, (System.nanoTime() - start) / 1e9);
  }
}
