package streams.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import streams.transforms.MetricNames;

/**
 * What a streaming job has done so far, seen from outside the engine, for {@code --stopWhenIdle} and the
 * progress line: the job's own counters where the runner can report them while it runs (Direct, Spark;
 * a detached Flink job reports none), the messages appended to the input topics, and the results
 * appended to the sink (output and dead-letter topics' end offsets, or the files under the output
 * folder). A job is idle when none of these has changed for a while.
 */
final class Progress implements AutoCloseable {
  private final Supplier<Map<String, Long>> counters;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> inputTopics;
  private final List<String> outputTopics;
  private final Path outputDir;
  private Map<String, Long> lastCounters = Map.of();

  Progress(
      PipelineResult result,
      String bootstrapServers,
      List<String> inputTopics,
      List<String> outputTopics,
      String outputDir) {
    this.counters = () -> Cli.counters(result);
    this.inputTopics = inputTopics;
    this.outputTopics = outputTopics;
    this.outputDir = outputDir == null || outputDir.contains("://") ? null : Paths.get(outputDir);
    if (bootstrapServers != null && !(inputTopics.isEmpty() && outputTopics.isEmpty())) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      this.consumer = new KafkaConsumer<>(props);
    } else {
      this.consumer = null;
    }
  }

  /** One observation. */
  static final class Snapshot {
    final Map<String, Long> counters;
    final long inputMessages;
    final long outputMessages;
    final long outputFiles;

    Snapshot(Map<String, Long> counters, long inputMessages, long outputMessages, long outputFiles) {
      this.counters = counters;
      this.inputMessages = inputMessages;
      this.outputMessages = outputMessages;
      this.outputFiles = outputFiles;
    }

    /** The job has produced something: results or dead letters written, or events counted in. */
    boolean didSomething() {
      return outputMessages > 0 || outputFiles > 0 || counters.getOrDefault(MetricNames.EVENTS_IN, 0L) > 0;
    }

    /** Equal snapshots mean nothing happened in between. */
    String fingerprint() {
      return counters + "/" + inputMessages + "/" + outputMessages + "/" + outputFiles;
    }

    String describe() {
      StringBuilder s = new StringBuilder();
      if (!counters.isEmpty()) {
        s.append(
            String.format(
                Locale.ROOT,
                "%d events in, %d results out, %d dead letters, ",
                counters.getOrDefault(MetricNames.EVENTS_IN, 0L),
                counters.getOrDefault(MetricNames.RESULTS_OUT, 0L),
                counters.getOrDefault(MetricNames.DEAD_LETTERS, 0L)));
      }
      if (inputMessages >= 0) {
        s.append(inputMessages).append(" messages on the input topics, ");
      }
      if (outputMessages >= 0) {
        s.append(outputMessages).append(" on the output topics");
      } else if (outputFiles >= 0) {
        s.append(outputFiles).append(" output files");
      }
      return s.toString().replaceAll(", $", "");
    }
  }

  /** The counters of the last observation that had any (empty if none had). */
  Map<String, Long> lastCounters() {
    return lastCounters;
  }

  Snapshot take() {
    Map<String, Long> now = counters.get();
    if (!now.isEmpty()) {
      lastCounters = now;
    }
    return new Snapshot(
        now,
        inputTopics.isEmpty() || consumer == null ? -1 : endOffsets(inputTopics),
        outputTopics.isEmpty() || consumer == null ? -1 : endOffsets(outputTopics),
        outputDir == null ? -1 : countFiles(outputDir));
  }

  private long endOffsets(List<String> topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos != null) {
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
    }
    return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
  }

  private static long countFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close();
    }
  }
}
