package streams.io;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import streams.model.DeadLetter;
import streams.model.LateEvent;

/**
 * What a pipeline's business graph produces: typed results and the dead letters of its input. Tests
 * assert on the typed results; {@link #writeTo} formats both as JSON Lines.
 */
public final class Results<T> implements POutput {
  private static final TupleTag<Object> RESULTS = new TupleTag<>("results");
  private static final TupleTag<Object> DEAD_LETTERS = new TupleTag<>("dead-letters");
  private static final TupleTag<Object> LATE = new TupleTag<>("late");

  private final PCollection<T> results;
  private final PCollection<DeadLetter> deadLetters;
  private final SerializableFunction<T, String> toJson;
  private final PCollection<LateEvent> late;

  private Results(
      PCollection<T> results,
      PCollection<DeadLetter> deadLetters,
      SerializableFunction<T, String> toJson,
      PCollection<LateEvent> late) {
    this.results = results;
    this.deadLetters = deadLetters;
    this.toJson = toJson;
    this.late = late;
  }

  public static <T> Results<T> of(
      PCollection<T> results, PCollection<DeadLetter> deadLetters, SerializableFunction<T, String> toJson) {
    return new Results<>(results, deadLetters, toJson, null);
  }

  /** The same, with the valid events not used because they came later than allowed lateness. */
  public Results<T> withLate(PCollection<LateEvent> late) {
    return new Results<>(results, deadLetters, toJson, late);
  }

  /** The late events; null when the pipeline has no lateness (nothing it reads can be late). */
  public PCollection<LateEvent> late() {
    return late;
  }

  public PCollection<String> lateAsJson() {
    return late == null
        ? null
        : late.apply("LateToJson", MapElements.into(TypeDescriptors.strings()).via(LateEvent::toJson));
  }

  public PCollection<T> results() {
    return results;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  public PCollection<String> resultsAsJson() {
    return results.apply("ResultsToJson", MapElements.into(TypeDescriptors.strings()).via(toJson));
  }

  public PCollection<String> deadLettersAsJson() {
    return deadLetters.apply(
        "DeadLettersToJson", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson));
  }

  /** Writes results to {@code DIR/results-*.jsonl} and dead letters to {@code DIR/dead-letter/}. */
  public void writeTo(String directory) {
    resultsAsJson().apply("WriteResults", WriteJsonLines.to(directory, OutputDirs.RESULTS_PREFIX));
    deadLettersAsJson()
        .apply("WriteDeadLetters", WriteJsonLines.to(OutputDirs.deadLetterDir(directory), OutputDirs.DEAD_LETTER_PREFIX));
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
