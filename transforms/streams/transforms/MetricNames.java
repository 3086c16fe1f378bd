package streams.transforms;

import java.util.List;

/**
 * Every Beam counter the project reports, in one place: the transforms count with these names, the command
 * line's summary and progress lines, the Prometheus endpoint and the tests read them back with the same
 * constants. All live in the {@link #NAMESPACE} namespace.
 */
public final class MetricNames {
  private MetricNames() {}

  public static final String NAMESPACE = "streams";

  /** Input records read (valid or not). */
  public static final String EVENTS_IN = "events_in";
  /** Input records parsed into an event. */
  public static final String EVENTS_PARSED = "events_parsed";
  /** Input records sent to the dead-letter output. */
  public static final String DEAD_LETTERS = "dead_letters";
  /** Valid events of a type the pipeline does not read (e.g. transactions in revenue). */
  public static final String EVENTS_NOT_READ = "events_not_read";
  /** Kafka records appended after a {@code --readMode=toEnd} job started, left for the next run. */
  public static final String RECORDS_AFTER_END = "records_after_end";
  /** Results written. */
  public static final String RESULTS_OUT = "results_out";
  /** Valid events not used because later than allowed lateness (each written to the late output). */
  public static final String LATE_DROPPED = "late_dropped";
  /** Revenue panes with no order (a window whose state was already cleared), not written. */
  public static final String EMPTY_PANES_SKIPPED = "empty_panes_skipped";
  /** Revenue totals that reached the largest representable amount. */
  public static final String TOTALS_SATURATED = "totals_saturated";
  /** Fraud: per-account burst states created and expired by their timer. */
  public static final String BURST_STATES_CREATED = "burst_states_created";
  public static final String BURST_STATES_EXPIRED = "burst_states_expired";
  /** Join: records buffered waiting for their partner, and buffers expired by their timer. */
  public static final String JOIN_BUFFERED = "join_buffered";
  public static final String JOIN_EXPIRED = "join_expired";

  /** The counters of the command line's summary line, in its order. */
  public static final List<String> SUMMARY = List.of(EVENTS_IN, RESULTS_OUT, DEAD_LETTERS, LATE_DROPPED);
}
