package streams.io;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import streams.model.DeadLetter;
import streams.model.LateEvent;
import streams.model.RecordType;

/**
 * What a pipeline's business graph produces: typed results (records of one {@link RecordType}), the dead
 * letters of its input and, where it has lateness, the late events. Tests assert on the typed results; the
 * sinks ({@link WriteResults}) write them in the forms their record type gives.
 */
public final class Results<T extends Record> implements POutput {
  private static final TupleTag<Object> RESULTS = new TupleTag<>("results");
  private static final TupleTag<Object> DEAD_LETTERS = new TupleTag<>("dead-letters");
  private static final TupleTag<Object> LATE = new TupleTag<>("late");

  private final PCollection<T> results;
  private final PCollection<DeadLetter> deadLetters;
  private final RecordType<T> type;
  private final PCollection<LateEvent> late;

  private Results(
      PCollection<T> results,
      PCollection<DeadLetter> deadLetters,
      RecordType<T> type,
      PCollection<LateEvent> late) {
    this.results = results;
    this.deadLetters = deadLetters;
    this.type = type;
    this.late = late;
  }

  public static <T extends Record> Results<T> of(
      PCollection<T> results, PCollection<DeadLetter> deadLetters, RecordType<T> type) {
    return new Results<>(results, deadLetters, type, null);
  }

  /** The same, with the valid events not used because they came later than allowed lateness. */
  public Results<T> withLate(PCollection<LateEvent> late) {
    return new Results<>(results, deadLetters, type, late);
  }

  /** The late events; null when the pipeline has no lateness (nothing it reads can be late). */
  public PCollection<LateEvent> late() {
    return late;
  }

  public PCollection<T> results() {
    return results;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** The results in their JSON form ({@link RecordType#toJson}), one line each: what the files sink writes. */
  public PCollection<String> resultsAsJson() {
    return results.apply("ResultsToJson", MapElements.into(TypeDescriptors.strings()).via(type::toJson));
  }

  /** The record type of the results: their JSON form, Kafka key and Parquet columns. */
  public RecordType<T> type() {
    return type;
  }

  @Override
  public Pipeline getPipeline() {
    return results.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return late == null
        ? Map.of(RESULTS, results, DEAD_LETTERS, deadLetters)
        : Map.of(RESULTS, results, DEAD_LETTERS, deadLetters, LATE, late);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
