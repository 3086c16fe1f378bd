package streams.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.dstream.DStream;

/**
 * Spark streaming: what a micro-batch has read from an unbounded source (Kafka) goes to disk when memory runs
 * short, instead of being dropped.
 *
 * <p>Beam's Spark runner reads a source in a {@code mapWithState} step, and reads each micro-batch when it
 * generates the batch (every batch interval), whether or not the batches before it have been processed.
 * Spark keeps what that step computed with the storage level {@code mapWithState} sets itself, {@code
 * MEMORY_ONLY}: under memory pressure the block is dropped, and when the batch is processed later the step is
 * computed again. Computing it again reads again, from the split's cached reader, which has moved on (at the
 * end of a topic it reads nothing): the records the batch had read are lost without a trace, while the
 * watermark they moved stays. A job slower per batch than the batch interval over a backlog (revenue on a
 * topic already full) reads far ahead of its processing, fills the memory and loses them: {@code
 * --readMode=toEnd} over 200 000 events processed 181 522, over 1 000 000 processed 317 139, each time "DONE"
 * (engine log with Spark's storage at INFO: {@code Dropping block rdd_N_P}, then {@code Block rdd_N_P stored}
 * again with a fraction of its size). On {@code MEMORY_AND_DISK} a dropped block is written to disk and read
 * back, never computed again.
 *
 * <p>Spark offers no setting for it, and Beam creates and starts the streaming context inside {@code run()};
 * the level is changed on the steps of the context as soon as it is active, before its first micro-batch
 * unless the machine is very slow (the generator's first batch is one batch interval after the start). The
 * storage level of a DStream is Spark-internal API ({@code private[streaming]}, public in bytecode), as is the
 * class name looked for: written against Spark 3.5, covered by {@code SparkReadToEndBacklogIT}; the engine log
 * says how many steps were changed ({@code streams.cli.SparkSourceReads} at info).
 */
final class SparkSourceReads {
  private static final Logger LOG = LogManager.getLogger(SparkSourceReads.class);
  static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK();
  private static final String MAP_WITH_STATE = "org.apache.spark.streaming.dstream.InternalMapWithStateDStream";

  private SparkSourceReads() {}

  /**
   * Watches, on a daemon thread, for the streaming context this JVM is about to start, and spills its source
   * reads once it is active; gives up after {@code timeoutMillis}. Call before {@code pipeline.run()}.
   */
  static Thread watch(long timeoutMillis) {
    Thread t =
        new Thread(
            () -> {
              long deadline = System.currentTimeMillis() + timeoutMillis;
              while (System.currentTimeMillis() < deadline && !Thread.currentThread().isInterrupted()) {
                scala.Option<StreamingContext> active = StreamingContext.getActive();
                if (active.isDefined()) {
                  int changed = spill(active.get());
                  LOG.info("Spark source reads kept on {}: {} step(s)", LEVEL.description(), changed);
                  return;
                }
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "spark-source-reads");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Sets {@link #LEVEL} on every {@code mapWithState} step of {@code ssc}'s graph; returns how many. */
  static int spill(StreamingContext ssc) {
    int changed = 0;
    Map<DStream<?>, Boolean> seen = new IdentityHashMap<>();
    Deque<DStream<?>> todo = new ArrayDeque<>();
    for (DStream<?> out : ssc.graph().getOutputStreams()) {
      todo.push(out);
    }
    while (!todo.isEmpty()) {
      DStream<?> d = todo.pop();
      if (seen.put(d, Boolean.TRUE) != null) {
        continue;
      }
      if (d.getClass().getName().equals(MAP_WITH_STATE)) {
        // persist() refuses once the context has started; the field it sets is read at each new batch.
        d.storageLevel_$eq(LEVEL);
        changed++;
      }
      scala.collection.Iterator<DStream<?>> parents = d.dependencies().iterator();
      while (parents.hasNext()) {
        todo.push(parents.next());
      }
    }
    return changed;
  }
}
