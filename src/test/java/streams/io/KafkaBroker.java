package streams.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import streams.testing.Scripts;
import streams.testing.Scripts.Result;

/**
 * A real single-node Kafka broker for a test class (a Jupiter extension in a {@code @RegisterExtension
 * static} field), started with the project's own {@code scripts/kafka start --port=<free port>
 * --dir=target/kafka-test-<port>} and stopped after the class.
 * Nothing is skipped: if the broker does not start, the test class fails with the script's output and the
 * tail of the broker's log. Also: topic creation, a plain kafka-clients producer and consumer.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
  private static final Path ROOT = Paths.get("").toAbsolutePath();
  private static final long START_TIMEOUT_SECONDS = 150;

  private int port;
  private Path dir;
  private boolean started;

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    port = freePortPair();
    dir = ROOT.resolve("target").resolve("kafka-test-" + port);
    Files.createDirectories(dir);
    reuseBrokerJars();
    Result r = script(START_TIMEOUT_SECONDS, "start", "--port=" + port, "--dir=" + dir);
    if (r.code != 0) {
      script(60, "stop", "--dir=" + dir);
      throw new AssertionError(
          "scripts/kafka start --port=" + port + " --dir=" + dir + " failed (exit " + r.code + "):\n" + r.output
              + "\n--- last lines of the broker log ---\n" + logTail());
    }
    started = true;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!started) {
      return;
    }
    try {
      // The data is deleted next: no need for the broker's controlled shutdown (2-3 s per test class).
      Path pidFile = dir.resolve("kafka.pid");
      java.util.Optional<ProcessHandle> broker =
          Files.exists(pidFile)
              ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
              : java.util.Optional.empty();
      if (broker.isPresent() && broker.get().destroyForcibly()) {
        broker.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        Files.deleteIfExists(pidFile);
      } else {
        Result r = script(60, "stop", "--dir=" + dir);
        if (r.code != 0) {
          throw new AssertionError("scripts/kafka stop failed: " + r.output);
        }
      }
      deleteTree(dir.resolve("data"));
    } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException | NumberFormatException e) {
      throw new AssertionError("cannot stop the broker in " + dir, e);
    }
  }

  /**
   * The broker's jars (94, 54 MB) are resolved by Maven into DIR/lib on first use; a fresh test folder
   * borrows them, as hard links, from the default broker folder when it already holds the same version.
   */
  private void reuseBrokerJars() throws IOException, InterruptedException {
    Path shared = ROOT.resolve("target/kafka/lib");
    if (Files.exists(shared.resolve(".version")) && !Files.exists(dir.resolve("lib"))) {
      Process cp = new ProcessBuilder("cp", "-al", shared.toString(), dir.resolve("lib").toString())
          .redirectErrorStream(true)
          .start();
      cp.getInputStream().readAllBytes();
      if (cp.waitFor() != 0) {
        deleteTree(dir.resolve("lib")); // the script resolves them itself
      }
    }
  }

  public String logTail() {
    StringBuilder out = new StringBuilder();
    for (String name : new String[] {"logs/server.log", "logs/kafka.out", "logs/mvn.log"}) {
      Path f = dir.resolve(name);
      if (Files.exists(f)) {
        try {
          List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
          out.append("==> ").append(f).append(" <==\n");
          lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> out.append(l).append('\n'));
        } catch (IOException e) {
          out.append("(cannot read ").append(f).append(": ").append(e.getMessage()).append(")\n");
        }
      }
    }
    return out.toString();
  }


  private static Result script(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts/kafka").toString());
    command.addAll(List.of(args));
    return Scripts.run(timeoutSeconds, command);
  }

  /** A port P such that P and P+1 (the controller) are free. */
  private static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int p;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        p = s.getLocalPort();
      }
      if (p < 65535 && isFree(p) && isFree(p + 1)) {
        return p;
      }
    }
    throw new IOException("no two consecutive free ports found");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- clients ----

  private Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(p);
  }

  /** Creates a topic; {@code config} e.g. {@code message.timestamp.type=LogAppendTime}. */
  public void createTopic(String name, int partitions, Map<String, String> config)
      throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all().get();
    }
  }

  public KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /**
   * Produces {@code values} in order, the i-th to partition {@code i % partitions}: each partition receives
   * an in-order subsequence, as a keyed producer of a real feed would give.
   */
  public void produceRoundRobin(String topic, int partitions, List<String> values)
      throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < values.size(); i++) {
        producer.send(new ProducerRecord<>(topic, i % partitions, null, values.get(i)));
      }
      producer.flush();
    }
  }

  /** Produces {@code value} to one partition and waits for the acknowledgement. */
  public void produceTo(String topic, int partition, String value) throws ExecutionException, InterruptedException {
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, partition, null, value)).get();
    }
  }

  public KafkaConsumer<String, String> consumer(boolean readCommitted) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Reads {@code topic} from the beginning until {@code done} holds for what was read, or {@code timeout}
   * passes; returns everything read (the caller asserts).
   */
  public List<ConsumerRecord<String, String>> consumeUntil(
      String topic, boolean readCommitted, Duration timeout, Predicate<List<ConsumerRecord<String, String>>> done) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(readCommitted)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map((PartitionInfo i) -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(records) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(r);
        }
      }
    }
    return records;
  }

  /** Reads everything {@code topic} holds now (up to its current end offsets). */
  public List<ConsumerRecord<String, String>> consumeAll(String topic, boolean readCommitted) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(readCommitted)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map((PartitionInfo i) -> new TopicPartition(topic, i.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(r);
        }
      }
    }
    return records;
  }
}
