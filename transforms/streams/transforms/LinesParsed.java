package streams.transforms;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many input lines {@link ParseEvents} has parsed in this JVM, and their size, for the command line's
 * progress line during a batch run. Only the JVM that runs the job's workers counts: an engine embedded in
 * the command line's JVM (an embedded engine) does; a job sent to a cluster
 * leaves these at zero here. The size counts characters and the line end, which is the number of bytes read
 * for ASCII text (JSON events are, except for non-ASCII text in string values).
 */
public final class LinesParsed {
  private static final LongAdder LINES = new LongAdder();
  private static final LongAdder BYTES = new LongAdder();

  private LinesParsed() {}

  static void count(String line) {
    LINES.increment();
    BYTES.add(line.length() + 1L);
  }

  public static long lines() {
    return LINES.sum();
  }

  public static long bytes() {
    return BYTES.sum();
  }

  /** Starts counting from zero (a new job in this JVM). */
  public static void reset() {
    LINES.reset();
    BYTES.reset();
  }
}
